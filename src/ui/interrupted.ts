import type { Upload, UploadError } from '../core/index.ts'
import type { Control } from './file-view.ts'
import type {
  FoundUpload,
  InterruptedHost,
  InterruptedItem,
  InterruptedMessages,
  InterruptedProblem,
  InterruptedView,
} from './interrupted-types.ts'
import type { UploadMessages } from './ui-messages.ts'

/*
 * The interrupted-uploads list (#16), loaded only when the core finds something to list: the
 * store in interrupted-store.ts, which every uploader has, pulls it in then.
 */

export const defaultInterruptedMessages: InterruptedMessages = {
  interrupted: 'Interrupted uploads',
  stoppedAt: (percent) => `stopped at ${percent} %`,
  continue: 'Continue',
  discard: 'Discard',
  startOver: 'Start over',
  pickAgain: (name) => `Pick ${name} again to continue`,
  elsewhere: 'Continuing in another tab',
  continuing: 'Continuing…',
  permissionRefused: 'Permission to read the file was refused: Continue asks again',
  fileChanged: 'The file changed since its upload began: it can only start over',
  notSameFile: (name) => `That is not the same ${name}: pick that file again, or start over`,
  interruptedFound: (count) =>
    `${count} interrupted upload${count === 1 ? '' : 's'} can be continued`,
  discarded: 'Discarded',
}

/** The page's words over the defaults: each of the list's words is optional in `messages`. */
const words = (m: UploadMessages) =>
  ({ ...defaultInterruptedMessages, ...m }) as UploadMessages & InterruptedMessages

interface Entry {
  readonly id: string
  readonly found: FoundUpload
  continuing: boolean
  problem: InterruptedProblem | null
  /** The file a start-over uploads: the one picked (mismatch), or read from the handle. */
  file: File | null
  item: InterruptedItem | null
}

/** The error codes the core gives a refused permission and a changed file. */
const PROBLEMS: Partial<Record<UploadError['code'], InterruptedProblem>> = {
  permission_denied: 'permission',
  file_changed: 'changed',
  wrong_file: 'mismatch',
}

/**
 * The interrupted uploads of one uploader's endpoint, for `<Upload />`, the element and
 * `useInterruptedUploads`: continued into the UI's queue, discarded, started over. A continued
 * upload stays listed ("Continuing…") until it is past the permission and the file's check, so
 * that a refusal or a changed file keeps it here with the reason. Knows nothing of React.
 */
export class InterruptedList {
  #entries: Entry[] = []
  /** Continued or discarded here: a new finding must not bring them back. */
  readonly #gone = new Set<string>()
  #announced = 0

  constructor(
    private readonly host: InterruptedHost,
    /** Gets every new list of items. */
    private readonly publish: (items: readonly InterruptedItem[]) => void,
    /** Asks the core again (another tab took an upload, or it is gone). */
    private readonly refresh: () => void,
  ) {}

  /**
   * The files of a pick or a drop: a file that is an interrupted upload's continues it; the
   * rest (to upload afresh) are returned. A file named as a 'pick' upload but not the same
   * one is held back and shown with that upload ("not the same file"), for a start over.
   */
  take(files: readonly File[]): File[] {
    const rest: File[] = []
    for (const file of files) {
      const entry = this.#entries.find(
        (e) => !e.continuing && !e.found.elsewhere && e.found.name === file.name,
      )
      if (entry?.found.source === 'pick') {
        if (same(entry.found, file)) this.#continue(entry, file)
        else {
          entry.problem = 'mismatch'
          entry.file = file
          this.#say(entry, words(this.host.messages()).notSameFile(file.name))
        }
        continue
      }
      // Picked again, a kept file continues by its record as before: not listed twice.
      if (entry && same(entry.found, file)) this.#drop(entry)
      rest.push(file)
    }
    this.#emit()
    return rest
  }

  /** What the core found now (an empty list for a new endpoint). */
  found(found: readonly FoundUpload[]): void {
    const before = new Map(this.#entries.map((e) => [e.id, e]))
    const entries: Entry[] = []
    for (const upload of found) {
      const id = upload.key
      if (this.#gone.has(id)) continue
      const kept = before.get(id)
      entries.push(
        kept && kept.found.elsewhere === upload.elsewhere
          ? kept
          : { id, found: upload, continuing: false, problem: null, file: null, item: null },
      )
    }
    this.#entries = entries
    const count = entries.filter((e) => !e.found.elsewhere).length
    if (count > 0 && count !== this.#announced) {
      this.host.announce(words(this.host.messages()).interruptedFound(count))
    }
    this.#announced = count
    this.#emit()
  }

  #continue(entry: Entry, file?: File): void {
    const options = this.host.options()
    let upload: Upload
    try {
      upload = entry.found.continue(file ? { ...options, file } : options)
    } catch {
      return
    }
    entry.continuing = true
    entry.problem = null
    if (file) entry.file = file
    const check = (): void => {
      const { status, error } = upload.getSnapshot()
      const code = status === 'error' ? error?.code : undefined
      const problem = code && PROBLEMS[code]
      if (code === 'continuing_elsewhere' || code === 'expired') {
        // Taken by another tab since the list was found, or gone: the list as it is now says so.
        stop()
        this.#drop(entry)
        this.#gone.delete(entry.id)
        this.refresh()
      } else if (problem) {
        stop()
        entry.continuing = false
        entry.problem = problem
        this.#say(entry, this.#words(problem, entry.found.name))
      } else if (status === 'cancelled') {
        stop()
        this.#drop(entry)
      } else if (status !== 'idle' && status !== 'checking') {
        stop()
        this.#drop(entry)
        this.host.adopt(upload)
      }
      this.#emit()
    }
    const stop = upload.subscribe(check)
    check()
  }

  #startOver(entry: Entry): void {
    const file = entry.file
    this.#discard(entry, false)
    if (file) this.host.add([file])
    else this.host.pick()
  }

  #discard(entry: Entry, announce: boolean): void {
    this.#drop(entry)
    this.#emit()
    void entry.found.discard().catch(() => undefined)
    if (announce) this.#say(entry, words(this.host.messages()).discarded)
  }

  #drop(entry: Entry): void {
    this.#gone.add(entry.id)
    this.#entries = this.#entries.filter((e) => e !== entry)
  }

  #words(problem: InterruptedProblem, name: string): string {
    const m = words(this.host.messages())
    return problem === 'permission'
      ? m.permissionRefused
      : problem === 'changed'
        ? m.fileChanged
        : m.notSameFile(name)
  }

  #say(entry: Entry, news: string): void {
    this.host.announce(this.host.messages().announce(entry.found.name, news))
  }

  #itemOf(entry: Entry): InterruptedItem {
    const { id, found, continuing, problem } = entry
    const made = entry.item
    if (made && made.continuing === continuing && made.problem === problem) return made
    const item: InterruptedItem = {
      id,
      name: found.name,
      size: found.size,
      progress: found.progress,
      source: found.source,
      elsewhere: found.elsewhere === true,
      continuing,
      problem,
      continue: () => {
        if (!entry.continuing && this.#entries.includes(entry)) this.#continue(entry)
      },
      discard: () => this.#discard(entry, true),
      startOver: () => this.#startOver(entry),
    }
    entry.item = item
    return item
  }

  #emit(): void {
    this.publish(this.#entries.map((e) => this.#itemOf(e)))
  }
}

/** Whether a picked file is the interrupted one, by what the record knows of it. */
const same = (found: FoundUpload, file: File): boolean =>
  found.size === file.size && found.type === file.type && found.lastModified === file.lastModified

/** What one interrupted upload shows and offers, decided once for `<Upload />` and the element. */
export function interruptedView(item: InterruptedItem, messages: UploadMessages): InterruptedView {
  const m = words(messages)
  const { problem, name } = item
  let note: string | null = null
  let primary: Control | null = [m.continue, item.continue]
  let secondary: Control | null = [m.discard, item.discard]
  if (item.elsewhere || item.continuing) {
    note = item.elsewhere ? m.elsewhere : m.continuing
    primary = secondary = null
  } else if (problem === 'permission') note = m.permissionRefused
  else if (problem) {
    note = problem === 'changed' ? m.fileChanged : m.notSameFile(name)
    primary = [m.startOver, item.startOver]
  } else if (item.source === 'pick') {
    note = m.pickAgain(name)
    primary = null
  }
  return {
    label: m.interrupted,
    stopped: m.stoppedAt(Math.floor(item.progress * 100)),
    note,
    primary,
    secondary,
    labelOf: (word) => m.buttonLabel(word, name),
  }
}

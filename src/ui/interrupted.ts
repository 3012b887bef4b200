import type {
  ContinueOptions,
  InterruptedUpload,
  Upload,
  UploadError,
  UploadOptions,
} from '../core/index.ts'
import type { Control } from './file-view.ts'
import type { UploadMessages } from './ui-messages.ts'

/** What the list needs of an interrupted upload: a stand-in finder (a story) gives only this. */
export type FoundUpload = Pick<
  InterruptedUpload,
  | 'key'
  | 'name'
  | 'size'
  | 'type'
  | 'lastModified'
  | 'progress'
  | 'source'
  | 'elsewhere'
  | 'continue'
  | 'discard'
>

/** Why an interrupted upload did not continue: shown in words, with what can be done. */
export type InterruptedProblem = 'permission' | 'changed' | 'mismatch'

/** One interrupted upload as a UI shows it, with its own controls. */
export interface InterruptedItem {
  /** Stable while the page lists it: a React key. */
  readonly id: string
  readonly name: string
  readonly size: number
  readonly progress: number
  readonly source: FoundUpload['source']
  /** Continuing in another tab: offer no Continue. */
  readonly elsewhere: boolean
  /** Continue was pressed: waiting for the permission or the file's check. */
  readonly continuing: boolean
  readonly problem: InterruptedProblem | null
  /** For 'handle' and 'copy' (and after a refused permission): a user gesture, a click. */
  continue(): void
  /** Forgets the record, the kept handle and the copy; never the user's own file. */
  discard(): void
  /** After a change or a different file: forgets the record and uploads the file afresh. */
  startOver(): void
}

/** What the list asks of its UI. */
export interface InterruptedHost {
  find(endpoint: string): Promise<readonly FoundUpload[]>
  /** The options a continued upload gets (its `url` is never called). */
  options(): ContinueOptions
  /** A continued upload is on its way: into the queue with the others. */
  adopt(upload: Upload): void
  /** Files to upload afresh (start over). */
  add(files: File[]): void
  /** Opens the file picker (a start over with no file at hand: pick the changed one). */
  pick(): void
  announce(text: string): void
  messages(): UploadMessages
}

interface Entry {
  readonly id: string
  readonly found: FoundUpload
  continuing: boolean
  problem: InterruptedProblem | null
  /** The file a start-over uploads: the one picked (mismatch), or read from the handle. */
  file: File | null
  item: InterruptedItem | null
}

const EMPTY: readonly InterruptedItem[] = Object.freeze([])

/** The error codes the core gives a refused permission and a changed file. */
const PROBLEMS: Partial<Record<UploadError['code'], InterruptedProblem>> = {
  permission_denied: 'permission',
  file_changed: 'changed',
  wrong_file: 'mismatch',
}

/**
 * The interrupted uploads of one uploader's endpoint (#16), for `<Upload />`, the element and
 * `useInterruptedUploads`: found through the core, continued into the UI's queue, discarded,
 * started over. A continued upload stays listed ("Continuing…") until it is past the permission
 * and the file's check, so that a refusal or a changed file keeps it here with the reason.
 * Knows nothing of React.
 */
export class InterruptedList {
  readonly #listeners = new Set<() => void>()
  #entries: Entry[] = []
  #state = EMPTY
  #endpoint: string | null = null
  /** Bumped by every load, so that a slow answer never overwrites a newer one. */
  #load = 0
  /** Continued or discarded here: a reload of the list must not bring them back. */
  readonly #gone = new Set<string>()
  #announced = 0

  constructor(private readonly host: InterruptedHost) {}

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }
  getSnapshot = (): readonly InterruptedItem[] => this.#state
  /** Nothing is stored on a server: it renders no list. */
  getServerSnapshot = (): readonly InterruptedItem[] => EMPTY

  /** The uploader's endpoint, or null for none (no records, or the list turned off). */
  setEndpoint(endpoint: string | null): void {
    if (endpoint === this.#endpoint) return
    this.#endpoint = endpoint
    this.#entries = []
    this.#emit()
    this.refresh()
  }

  /**
   * For an effect: finds the list again whenever the window gets focus back (another tab may
   * have finished or let go of an upload). The first finding is `setEndpoint`'s.
   */
  mount = (): (() => void) => {
    const again = (): void => this.refresh()
    addEventListener('focus', again)
    return () => removeEventListener('focus', again)
  }

  refresh(): void {
    const endpoint = this.#endpoint
    const load = ++this.#load
    if (endpoint === null) return
    this.host.find(endpoint).then(
      (found) => load === this.#load && this.#found(found),
      () => undefined, // nothing readable is nothing to list
    )
  }

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
          this.#say(entry, this.host.messages().notSameFile(file.name))
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

  #found(found: readonly FoundUpload[]): void {
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
      this.host.announce(this.host.messages().interruptedFound(count))
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
    if (announce) this.#say(entry, this.host.messages().discarded)
  }

  #drop(entry: Entry): void {
    this.#gone.add(entry.id)
    this.#entries = this.#entries.filter((e) => e !== entry)
  }

  #words(problem: InterruptedProblem, name: string): string {
    const m = this.host.messages()
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
    this.#state = this.#entries.length === 0 ? EMPTY : this.#entries.map((e) => this.#itemOf(e))
    for (const listener of [...this.#listeners]) listener()
  }
}

/**
 * The endpoint whose interrupted uploads an uploader lists, as the core keys its records: the
 * `endpoint` option, or a `url` string; null when it keeps none (no resume, one POST, or a `url`
 * function without an endpoint) or the list is turned off.
 */
export function listedEndpoint(options: Partial<UploadOptions>, on = true): string | null {
  const { endpoint, url, resume, mode } = options
  if (!on || resume === false || mode === 'simple') return null
  return endpoint || (typeof url === 'string' && url) || null
}

/** Whether a picked file is the interrupted one, by what the record knows of it. */
const same = (found: FoundUpload, file: File): boolean =>
  found.size === file.size && found.type === file.type && found.lastModified === file.lastModified

/** What one interrupted upload shows, decided once for `<Upload />` and the element. */
export interface InterruptedView {
  /** "stopped at 43 %" */
  stopped: string
  /** Why it waits, or what to do: null for a plain one that Continue takes on. */
  note: string | null
  /** Continue, or Start over; none while it waits for a pick, another tab or its check. */
  primary: Control | null
  /** Discard; none while another tab holds it (discarding would pull its record away). */
  secondary: Control | null
}

export function interruptedView(item: InterruptedItem, m: UploadMessages): InterruptedView {
  const { problem } = item
  const stopped = m.stoppedAt(Math.floor(item.progress * 100))
  const discard: Control = [m.discard, item.discard]
  if (item.elsewhere) return { stopped, note: m.elsewhere, primary: null, secondary: null }
  if (item.continuing) return { stopped, note: m.continuing, primary: null, secondary: null }
  if (problem === 'permission') {
    return {
      stopped,
      note: m.permissionRefused,
      primary: [m.continue, item.continue],
      secondary: discard,
    }
  }
  if (problem) {
    const note = problem === 'changed' ? m.fileChanged : m.notSameFile(item.name)
    return { stopped, note, primary: [m.startOver, item.startOver], secondary: discard }
  }
  if (item.source === 'pick') {
    return { stopped, note: m.pickAgain(item.name), primary: null, secondary: discard }
  }
  return { stopped, note: null, primary: [m.continue, item.continue], secondary: discard }
}

/** A row's `data-interrupted`, for styling and tests: its problem, or where it stands. */
export const interruptedState = (item: InterruptedItem): string =>
  item.problem ?? (item.elsewhere ? 'elsewhere' : item.continuing ? 'continuing' : item.source)

import type {
  FoundUpload,
  InterruptedHost,
  InterruptedItem,
  InterruptedView,
} from './interrupted-types.ts'
import type { UploadMessages } from './ui-messages.ts'

type Chunk = typeof import('./interrupted.ts')
type List = InstanceType<Chunk['InterruptedList']>

const EMPTY: readonly InterruptedItem[] = Object.freeze([])

/**
 * Every uploader's interrupted uploads (#16), for `<Upload />`, the element and
 * `useInterruptedUploads`: asks the core for its endpoint's, and loads the list itself
 * (interrupted.ts) only when there is something to list, so a page with nothing interrupted
 * pays for none of it. A store for `useSyncExternalStore`; knows nothing of React.
 */
export class InterruptedStore {
  readonly #listeners = new Set<() => void>()
  #items = EMPTY
  #chunk: Chunk | null = null
  #list: List | null = null
  #endpoint: string | null = null
  /** Bumped by every finding, so that a slow answer never overwrites a newer one. */
  #finding = 0
  /**
   * The files this uploader's queue took, by their identity: their records are the queue's
   * now, so a finding that answers after the pick (or while the upload runs) never lists them.
   */
  readonly #queued = new Set<string>()

  constructor(private readonly host: InterruptedHost) {}

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }
  getSnapshot = (): readonly InterruptedItem[] => this.#items
  /** Nothing is stored on a server: it renders no list. */
  getServerSnapshot = (): readonly InterruptedItem[] => EMPTY

  /** The uploader's endpoint, or null for none (no records, or the list turned off). */
  setEndpoint(endpoint: string | null): void {
    if (endpoint === this.#endpoint) return
    this.#endpoint = endpoint
    this.#list?.found([])
    this.refresh()
  }

  /** For an effect: finds the list again whenever the window gets focus back. */
  mount = (): (() => void) => {
    const again = (): void => this.refresh()
    addEventListener('focus', again)
    return () => removeEventListener('focus', again)
  }

  refresh = (): void => {
    const endpoint = this.#endpoint
    const finding = ++this.#finding
    if (endpoint === null) return
    const current = (): boolean => finding === this.#finding
    this.host.find(endpoint).then(async (all) => {
      // Asked again once the list has loaded: a file may have been picked meanwhile.
      const unqueued = () => all.filter((upload) => !this.#queued.has(identity(upload)))
      if (!current() || (unqueued().length === 0 && !this.#list)) return
      this.#chunk ??= await import('./interrupted.ts')
      this.#list ??= new this.#chunk.InterruptedList(this.host, this.#publish, this.refresh)
      if (current()) this.#list.found(unqueued())
    }, Boolean) // nothing readable is nothing to list
  }

  /**
   * The files of a pick or a drop: a file that is a listed upload's continues it; the others
   * (to upload afresh) are returned.
   */
  take(files: readonly File[]): File[] {
    const rest = this.#list ? this.#list.take(files) : [...files]
    this.queued(rest)
    return rest
  }

  /** Files the queue took without asking `take` (the element's, before its list loaded). */
  queued(files: readonly File[]): void {
    for (const file of files) this.#queued.add(identity(file))
  }

  /** What a listed item shows; its list is loaded, since it listed it. */
  view(item: InterruptedItem, m: UploadMessages): InterruptedView {
    return (this.#chunk as Chunk).interruptedView(item, m)
  }

  readonly #publish = (items: readonly InterruptedItem[]): void => {
    this.#items = items.length === 0 ? EMPTY : items
    for (const listener of [...this.#listeners]) listener()
  }
}

type Same = 'name' | 'size' | 'type' | 'lastModified'

/** A file's identity as its record knows it (the record's key, less the endpoint). */
const identity = ({ name, size, type, lastModified }: Pick<FoundUpload, Same>): string =>
  JSON.stringify([name, size, type, lastModified])

/** A row's `data-interrupted`, for styling and tests: its problem, or where it stands. */
export const interruptedState = (item: InterruptedItem): string =>
  item.problem ?? (item.elsewhere ? 'elsewhere' : item.continuing ? 'continuing' : item.source)

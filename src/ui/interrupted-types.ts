import type { ContinueOptions, InterruptedUpload, Upload } from '../core/index.ts'
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
  /** For 'handle' and 'copy' (and after a refused permission): call it from a click. */
  continue(): void
  /** Forgets the record, the kept handle and the copy; never the user's own file. */
  discard(): void
  /** After a change or a different file: forgets the record and uploads the file afresh. */
  startOver(): void
}

/** What the list asks of its UI. */
export interface InterruptedHost {
  find(endpoint: string): Promise<readonly FoundUpload[]>
  /** The options a continued upload gets (its `url` is called only for a dead stored URL). */
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

/**
 * The words of the interrupted-uploads list (#16), in the same `messages` object as the rest
 * (each optional there: the English defaults load with the list).
 */
export interface InterruptedMessages {
  /** The name of the list. */
  interrupted: string
  /** Beside an interrupted file's name: "stopped at 43 %". */
  stoppedAt: (percent: number) => string
  continue: string
  discard: string
  startOver: string
  /** An interrupted file this browser kept no access to: the user picks it again. */
  pickAgain: (name: string) => string
  /** Another tab holds the file and is continuing it: no Continue here. */
  elsewhere: string
  /** Continue was pressed; the permission or the file's check is on its way. */
  continuing: string
  /** The browser, or the user, refused to let the page read the file. */
  permissionRefused: string
  /** The file changed on disk since its upload began: it can only start over. */
  fileChanged: string
  /** A file picked to continue an interrupted one is not the same file. */
  notSameFile: (name: string) => string
  /** Announced when the list first shows interrupted uploads. */
  interruptedFound: (count: number) => string
  /** Announced for a discarded interrupted upload (through `announce`). */
  discarded: string
}

/** What one interrupted upload shows, decided once for `<Upload />` and the element. */
export interface InterruptedView {
  /** The list's name. */
  label: string
  /** "stopped at 43 %" */
  stopped: string
  /** Why it waits, or what to do: null for a plain one that Continue takes on. */
  note: string | null
  /** Continue, or Start over; none while it waits for a pick, another tab or its check. */
  primary: Control | null
  /** Discard; none while another tab holds it (discarding would pull its record away). */
  secondary: Control | null
  /** A button's accessible name ("Continue big.mp4"). */
  labelOf: (word: string) => string
}

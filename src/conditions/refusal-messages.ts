import { formatBytes, formatDuration } from '../shared/format.ts'
import { either } from './either.ts'
import type {
  ConditionFailure,
  ConditionNode,
  ConditionOperator,
  FileKind,
  MediaProps,
  Rule,
} from './types.ts'
import { A_KIND, NAMES, noun } from './words.ts'

export { formatBytes, formatDuration }

/** What a message is given to explain one failed rule. */
export interface MessageContext {
  readonly rule: Rule
  /** The file's value; null when it could not be read. */
  readonly actual: string | number | null
  /** `actual` in words ("150 MB", "7 min 12 s", "image", "image/png"); '' when unreadable. */
  readonly value: string
  /** The rule's value in words ("100 MB", "5 min", "video", "video/*"). */
  readonly limit: string
  /** What the file is, when known, to say "this video" rather than "this file". */
  readonly kind: FileKind | null
}

/** What the `either` message is given to explain a `||` group that no branch met. */
export interface EitherContext {
  /** The `||` group. */
  readonly group: ConditionNode
  /** Why each branch failed, branch by branch. */
  readonly branches: readonly (readonly ConditionFailure[])[]
  /** What is known of the file. */
  readonly props: MediaProps
  /** The messages in force, for their formatters. */
  readonly messages: ConditionMessages
}

/**
 * Every string shown for a refused file, replaceable one by one (for translation, or a tone of
 * voice). The formatters turn numbers into words; `exact` asks for a precise form, used when
 * the rounded value and limit would read the same ("100 MB; the limit is 100 MB").
 */
export interface ConditionMessages {
  formatBytes: (bytes: number, exact?: boolean) => string
  formatDuration: (seconds: number, exact?: boolean) => string
  formatPixels: (pixels: number) => string
  kind: (context: MessageContext) => string
  mimetype: (context: MessageContext) => string
  filesize: (context: MessageContext) => string
  width: (context: MessageContext) => string
  height: (context: MessageContext) => string
  duration: (context: MessageContext) => string
  /** A needed property could not be read (an undecodable or truncated file). */
  unreadable: (context: MessageContext) => string
  /**
   * A `||` group that no branch met, in one sentence: what the group asks and what the file
   * is, where the other messages explain one rule each.
   */
  either: (context: EitherContext) => string
}

const BOUNDS: Record<ConditionOperator, string> = {
  '<=': 'the limit is',
  '<': 'it must be under',
  '>=': 'it must be at least',
  '>': 'it must be over',
  '==': 'it must be exactly',
  '!=': 'it must not be',
}
const bound = (c: MessageContext) => `${BOUNDS[c.rule.operator]} ${c.limit}`
const measured = (adjective: string) => (c: MessageContext) =>
  `This ${noun(c.kind)} is ${c.value} ${adjective}; ${bound(c)}`

/** The English messages. */
export const defaultMessages: ConditionMessages = {
  formatBytes,
  formatDuration,
  formatPixels: (pixels) => `${pixels} px`,
  kind: (c) =>
    c.rule.operator === '=='
      ? `Only ${c.limit} files are accepted; this is ${A_KIND[c.actual as FileKind] ?? c.value}`
      : `${c.limit[0]?.toUpperCase()}${c.limit.slice(1)} files are not accepted`,
  mimetype: (c) =>
    c.rule.operator === '=='
      ? `Only files of type ${c.limit} are accepted; this is ${c.value}`
      : `Files of type ${c.limit} are not accepted${c.limit === c.value ? '' : `; this is ${c.value}`}`,
  filesize: (c) => `The file is ${c.value}; ${bound(c)}`,
  width: measured('wide'),
  height: measured('tall'),
  duration: measured('long'),
  unreadable: ({ rule: { key }, kind }) =>
    key === 'kind'
      ? 'Could not tell what kind of file this is'
      : `Could not read this ${key === 'mimetype' || key === 'filesize' ? 'file' : noun(kind)}'s ${NAMES[key]}`,
  either,
}

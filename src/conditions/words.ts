import type { ConditionMessages } from './refusal-messages.ts'
import type { FileKind, Rule } from './types.ts'

/** What a file is, with its article: "this is an image". */
export const A_KIND: Record<FileKind, string> = {
  image: 'an image',
  video: 'a video',
  audio: 'an audio file',
  other: 'not an image, video or audio file',
}

/** Each key as a noun: "could not read this image's width", "of unknown size". */
export const NAMES: Record<Rule['key'], string> = {
  kind: 'kind',
  mimetype: 'type',
  filesize: 'size',
  width: 'width',
  height: 'height',
  duration: 'duration',
}

/** "this video", "this file": what a file is called once its kind is known. */
export const noun = (kind: FileKind | null | undefined): string =>
  kind === 'audio' ? 'audio file' : kind === 'image' || kind === 'video' ? kind : 'file'

/**
 * The file's value and the rule's, in words. "The file is 64 MB; the limit is 64 MB" explains
 * nothing: when both read the same but differ, both are said precisely.
 */
export function ruleWords(
  rule: Rule,
  actual: string | number,
  text: ConditionMessages,
): [value: string, limit: string] {
  const value = describe(rule, actual, text)
  const limit = describe(rule, rule.value, text)
  return value === limit && actual !== rule.value
    ? [describe(rule, actual, text, true), describe(rule, rule.value, text, true)]
    : [value, limit]
}

function describe(rule: Rule, v: string | number, text: ConditionMessages, exact = false): string {
  if (typeof v === 'string') return v
  if (rule.key === 'filesize') return text.formatBytes(v, exact)
  if (rule.key === 'duration') return text.formatDuration(v, exact)
  return text.formatPixels(v)
}

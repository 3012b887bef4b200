import type { UploadOptions, UrlOption } from '../core/index.ts'
import type { QueueUrl, UploadContext, UploadQueueOptions } from './queue-types.ts'

/**
 * Conditions and headers are plain data that apps usually write inline, so a new object every
 * render is the norm: they compare by content. Everything else (a store, a transport) compares by
 * identity; a `url` function goes through `latestUrl` first, so it never looks changed.
 */
const BY_CONTENT: ReadonlySet<string> = new Set(['conditions', 'headers'])

/**
 * The options that differ between two renders, or null when none does. The core re-resolves its
 * options on every `setOptions` (and sweeps localStorage for stale records while at it), so a
 * progress re-render must not call it.
 */
export function changedOptions(
  previous: UploadOptions,
  next: UploadOptions,
): Partial<UploadOptions> | null {
  const changed: Record<string, unknown> = {}
  let any = false
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)])
  for (const key of keys) {
    const a: unknown = previous[key as keyof UploadOptions]
    const b: unknown = next[key as keyof UploadOptions]
    const same = BY_CONTENT.has(key) ? JSON.stringify(a) === JSON.stringify(b) : Object.is(a, b)
    if (!same) {
      changed[key] = b
      any = true
    }
  }
  return any ? (changed as Partial<UploadOptions>) : null
}

/**
 * `url={(file) => …}` is a new function every render. Given to the core as one function that
 * calls the latest, it never counts as a change, and an upload that asks for a URL later (a
 * retry after the URL expired) still asks the newest one. It gets the file's `context` as well
 * (its metadata): the core knows only the file.
 */
export function latestUrl(context: (file: Blob) => UploadContext): (url: QueueUrl) => UrlOption {
  let latest: QueueUrl = ''
  const call: UrlOption = (file) =>
    typeof latest === 'function' ? latest(file, context(file)) : latest
  return (url) => {
    latest = url
    return typeof url === 'function' ? call : url
  }
}

/** What each file's core upload is given: the queue's own options left out. */
export function coreOptions(
  options: UploadQueueOptions,
  url: (url: QueueUrl) => UrlOption,
): UploadOptions {
  const {
    parallelFiles,
    maxFiles,
    autoStart,
    beforeUpload,
    onSuccess,
    onError,
    onProgress,
    onFileResult,
    onComplete,
    ...core
  } = options
  return { ...core, url: url(options.url) }
}

/**
 * The endpoint whose interrupted uploads an uploader lists, as the core keys its records: the
 * `endpoint` option, or a `url` string; null when it keeps none (no resume, one POST, or a `url`
 * function without an endpoint) or the list is turned off.
 */
export function listedEndpoint(
  options: Pick<UploadOptions, 'endpoint' | 'resume' | 'mode'> & { url?: unknown },
  on: boolean,
): string | null {
  const { endpoint, url, resume, mode } = options
  if (!on || resume === false || mode === 'simple') return null
  return endpoint || (typeof url === 'string' && url) || null
}

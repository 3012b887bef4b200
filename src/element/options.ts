import type { Conditions, UrlOption } from '../core/index.ts'
import type { UploadQueueOptions } from '../ui/queue-types.ts'
import { sessionUrl } from './session.ts'

/** The attributes the element reads; a change to any of them re-renders it. */
export const ATTRIBUTES = [
  'session',
  'url',
  'endpoint',
  'multiple',
  'accept',
  'chunk-size',
  'concurrency',
  'parallel-files',
  'max-files',
  'conditions',
  'disabled',
  'name',
  'required',
  'unstyled',
  'paste-anywhere',
  'manual',
  'hide-interrupted',
] as const

/** A numeric attribute; absent, empty or not a number is no value (the core's default). */
export function numberAttribute(element: Element, name: string): number | undefined {
  const raw = element.getAttribute(name)
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw)
  return Number.isFinite(value) ? value : undefined
}

/**
 * Parsed once per attribute value. JSON that does not parse is passed on as the raw text: the
 * core's parser refuses it, so every file fails with `invalid_conditions` and the text in its
 * message. A typo in the page's rules must never let files through unchecked.
 */
let lastJson: { raw: string; conditions: Conditions } | null = null
export function conditionsAttribute(element: Element): Conditions | undefined {
  const raw = element.getAttribute('conditions')
  if (raw === null || raw.trim() === '') return undefined
  if (lastJson?.raw !== raw) {
    let conditions: Conditions
    try {
      conditions = JSON.parse(raw) as Conditions
    } catch (error) {
      console.error('<partwise-upload>: the conditions attribute is not JSON', error)
      conditions = raw as unknown as Conditions
    }
    lastJson = { raw, conditions }
  }
  return lastJson.conditions
}

export interface Sources {
  /** The `url` property, when it is a function (or a string set from JavaScript). */
  url: UrlOption | undefined
  conditions: Conditions | undefined
  /** Any other queue or core option, from the `options` property. */
  extra: Partial<UploadQueueOptions>
  callbacks: Pick<UploadQueueOptions, 'onSuccess' | 'onError' | 'onProgress'>
}

/** The queue's options: the properties first, then the attributes, then the core's defaults. */
export function queueOptions(element: Element, sources: Sources): UploadQueueOptions {
  const session = element.getAttribute('session')
  const url = sources.url ?? (session ? sessionUrl(session) : (element.getAttribute('url') ?? ''))
  // A url function keeps no resume record without an endpoint: the session route names one.
  const endpoint = element.getAttribute('endpoint') ?? session ?? undefined
  const options: UploadQueueOptions = { ...sources.extra, ...sources.callbacks, url }
  if (endpoint && options.endpoint === undefined) options.endpoint = endpoint
  const numbers = {
    chunkSize: 'chunk-size',
    concurrency: 'concurrency',
    parallelFiles: 'parallel-files',
    maxFiles: 'max-files',
  } as const
  for (const [key, name] of Object.entries(numbers)) {
    const value = numberAttribute(element, name)
    if (value !== undefined) options[key as keyof typeof numbers] = value
  }
  // `manual`: files wait for the Upload button (`autoStart: false`).
  if (element.hasAttribute('manual')) options.autoStart = false
  const conditions = sources.conditions ?? conditionsAttribute(element)
  if (conditions !== undefined) options.conditions = conditions
  return options
}

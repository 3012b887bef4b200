import { HttpError } from '../http/reply.ts'

/**
 * A fault the control API injects into upload traffic: requests to the upload URLs
 * (`/store/resumable`, `/store/single`), never `POST /uploads` or the control API, so a
 * catch-all rule cannot break the test harness itself. The match fields narrow which requests
 * it hits; the action fields say what happens.
 */
export interface FaultRule {
  /** e.g. 'PUT'; any method when absent. */
  method?: string
  /** The pathname, e.g. '/store/resumable'; any path when absent. */
  path?: string
  /** The request's `X-Upload-Index`. */
  index?: number
  /** Only once the session holds at least this many parts. */
  afterParts?: number
  /** How many times the rule fires; unlimited when absent. */
  times?: number
  /** Chance (0–1) that a matching request is hit. @default 1 */
  probability?: number
  /** Answer this status with an error envelope, without storing the part. */
  status?: number
  /** Sent as `Retry-After` along with `status`. */
  retryAfter?: string
  /** Store the part, then answer 200 with this raw body (e.g. malformed JSON). */
  body?: string
  /** Read part of the body, then destroy the socket; nothing stored. */
  drop?: boolean
  /** Wait this long before handling the request. */
  latencyMs?: number
  /** Handle the request, then hold the answer this long (or until the client aborts). */
  stallMs?: number
  /** Expire the session, then answer as expired. */
  expire?: boolean
}

export interface FaultTarget {
  method: string
  path: string
  index: number | null
}

const NUMBER_FIELDS = [
  'index',
  'afterParts',
  'times',
  'probability',
  'status',
  'latencyMs',
  'stallMs',
]
const STRING_FIELDS = ['method', 'path', 'retryAfter', 'body']
const BOOLEAN_FIELDS = ['drop', 'expire']

function parseRule(value: unknown, position: number): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `Fault rule ${position} must be an object`)
  }
  for (const [field, given] of Object.entries(value)) {
    const valid = NUMBER_FIELDS.includes(field)
      ? typeof given === 'number' && Number.isFinite(given) && given >= 0
      : STRING_FIELDS.includes(field)
        ? typeof given === 'string'
        : BOOLEAN_FIELDS.includes(field)
          ? typeof given === 'boolean'
          : false
    if (!valid) throw new HttpError(400, `Fault rule ${position} has an invalid "${field}"`)
  }
  const rule = value as FaultRule
  if (rule.probability !== undefined && rule.probability > 1) {
    throw new HttpError(400, `Fault rule ${position}'s probability must be between 0 and 1`)
  }
  if (rule.status !== undefined && (rule.status < 100 || rule.status > 599)) {
    throw new HttpError(400, `Fault rule ${position}'s status must be an HTTP status (100–599)`)
  }
  return rule
}

/** Validates the body of `PUT /__control/faults`. */
export function parseFaultRules(body: unknown): FaultRule[] {
  const rules = (body as { rules?: unknown } | undefined)?.rules
  if (!Array.isArray(rules)) throw new HttpError(400, 'Send the fault rules as {"rules": [ … ]}')
  return rules.map((rule, position) => parseRule(rule, position))
}

/** The rules in force, each with how many firings it has left. */
export class FaultSet {
  #rules: Array<{ rule: FaultRule; remaining: number }> = []
  readonly #random: () => number

  constructor(random: () => number = Math.random) {
    this.#random = random
  }

  replace(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }))
  }

  clear(): void {
    this.#rules = []
  }

  get size(): number {
    return this.#rules.length
  }

  /** Whether a rule that may still fire cuts connections (`drop`). */
  get drops(): boolean {
    return this.#rules.some((entry) => entry.rule.drop === true && entry.remaining > 0)
  }

  /**
   * The first rule that matches and wins its dice roll, with one firing used up; null when
   * none does. `partsStored` is asked only when a rule has `afterParts` (it reads the session).
   */
  async pick(
    target: FaultTarget,
    partsStored: () => Promise<number | null>,
  ): Promise<FaultRule | null> {
    for (const entry of this.#rules) {
      const { rule } = entry
      if (entry.remaining <= 0) continue
      if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) continue
      if (rule.path !== undefined && rule.path !== target.path) continue
      if (rule.index !== undefined && rule.index !== target.index) continue
      if (rule.afterParts !== undefined) {
        const stored = await partsStored()
        if (stored === null || stored < rule.afterParts) continue
      }
      if (this.#random() >= (rule.probability ?? 1)) continue
      // Re-checked: another request may have used the last firing while this one awaited.
      if (entry.remaining <= 0) continue
      entry.remaining -= 1
      return rule
    }
    return null
  }
}

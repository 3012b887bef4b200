import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { api, complete, createSession, putPart, putPartOk, testServer } from './helpers.ts'

/**
 * Property-based tests of the request parsers, over real HTTP: whatever a client sends, the
 * server answers with the error envelope and a 4xx (never a 5xx, never a crash), and a
 * malformed request changes nothing: the session still completes with the right parts.
 */
const running = testServer()

/** A 4xx with the seed's error envelope and a sentence in it. */
function refusedClearly(status: number, json: { error?: { message?: unknown } } | null): void {
  expect(status).toBeGreaterThanOrEqual(400)
  expect(status).toBeLessThan(500)
  expect(typeof json?.error?.message).toBe('string')
  expect(String(json?.error?.message).length).toBeGreaterThan(5)
}

/** Header values fetch can send: printable ASCII without leading or trailing spaces. */
const headerValue = fc
  .string({ unit: fc.constantFrom(...'0123456789-+.eExX abc_/'.split('')), maxLength: 12 })
  .map((s) => s.trim())

describe('X-Upload-Index', () => {
  it('accepts exactly the decimal whole numbers 0 to 100000, and refuses the rest clearly', async () => {
    const url = await createSession(running)
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerValue, fc.integer({ min: -5, max: 200_000 }).map(String)),
        async (value) => {
          const valid = /^(0|[1-9]\d*)$/.test(value) && Number(value) <= 100_000
          const { status, json } = await putPart(url, value, 'x')
          if (valid) expect(status).toBe(200)
          else refusedClearly(status, json)
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('the completion body', () => {
  it('refuses any malformed parts list with a 4xx and keeps the session usable', async () => {
    const url = await createSession(running)
    const part = await putPartOk(url, 0, 'only part')
    const anyJson = fc.jsonValue({ maxDepth: 3 })
    const partsLike = fc.record({
      parts: fc.array(
        fc.record({
          index: fc.oneof(fc.integer({ min: -2, max: 3 }), anyJson),
          etag: fc.oneof(fc.string(), anyJson),
        }),
        { maxLength: 4 },
      ),
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, partsLike, fc.string()), async (body) => {
        const sent = typeof body === 'string' ? body : JSON.stringify(body)
        const isTheRightOne = sent === JSON.stringify({ parts: [part] })
        fc.pre(!isTheRightOne)
        const { status, json } = await complete(url, sent)
        refusedClearly(status, json)
      }),
      { numRuns: 150 },
    )
    const { status } = await complete(url, { parts: [part] })
    expect(status).toBe(200)
  })
})

describe('POST /uploads', () => {
  it('answers any JSON body with a session or a clear 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        const { status, json } = await api(running, 'POST', '/uploads', JSON.stringify(body))
        if (status === 200) expect(typeof (json.data as { url?: unknown }).url).toBe('string')
        else refusedClearly(status, json)
      }),
      { numRuns: 150 },
    )
  })
})

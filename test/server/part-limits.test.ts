import { describe, expect, it } from 'vitest'
import { complete, createSession, putPart, testServer } from './helpers.ts'

/**
 * The part-count limit and the completion body agree: a completion listing as many parts as
 * the PUT accepts is read (not refused as too large after the whole file was sent), and the
 * first PUT past the limit is refused at once, saying why.
 */
const running = testServer()

/** The most parts an upload may have: X-Upload-Index 0 to 100000. */
const MAX_PARTS = 100_001

describe('the part-count limit', () => {
  it('reads a completion that lists the largest part count the PUT accepts', async () => {
    const url = await createSession(running)
    // Etags shaped like the server's own (a random id and the part's size).
    const parts = Array.from({ length: MAX_PARTS }, (_, index) => ({
      index,
      etag: `a1B2c3D4e-${16 * 1024 * 1024}`,
    }))
    const { status, json } = await complete(url, { parts })
    // Read and judged: the parts were never sent, which is what it says (not a 413).
    expect(json.error?.message).toBe('Part 0 was never received by the server')
    expect(status).toBe(400)
  })

  it('refuses a completion that lists more parts than an upload may have, saying so', async () => {
    const url = await createSession(running)
    const parts = Array.from({ length: MAX_PARTS + 1 }, (_, index) => ({ index, etag: 'e' }))
    const { status, json } = await complete(url, { parts })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/at most 100001 parts/)
  })

  it('refuses the first PUT past the limit with a message that says why', async () => {
    const url = await createSession(running)
    expect((await putPart(url, MAX_PARTS - 1, 'last')).status).toBe(200)
    const past = await putPart(url, MAX_PARTS, 'one too many')
    expect(past.status).toBe(400)
    expect(past.json.error?.message).toMatch(/at most 100001 parts/)
    expect(past.json.error?.message).toMatch(/larger parts/)
  })
})

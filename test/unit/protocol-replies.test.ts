import { describe, expect, it } from 'vitest'
import { UploadError } from '../../src/core/errors.ts'
import { brokenReply, httpError } from '../../src/core/lazy.ts'
import { readReply } from '../../src/core/protocol.ts'

/**
 * The core reads a reply on the happy path only (protocol.ts); the words for a broken one come
 * from the lazy chunk. The two must agree: every reply the core refuses gets its own reason.
 */
const reply = (body: unknown, status = 200) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  retryAfter: null,
})

describe('a part receipt (docs/PROTOCOL.md §2b)', () => {
  it('gives the etag of the part that was sent', () => {
    expect(readReply(reply({ data: { index: 3, etag: 'e3' } }), 3, 10)).toBe('e3')
  })

  it.each([
    ['<html>Bad gateway</html>', /part 3 is not JSON/],
    [{ data: null }, /part 3 has no `data` object/],
    [{ data: [1] }, /part 3 has no `data` object/],
    [{ data: 'e3' }, /part 3 has no `data` object/],
    [{ data: { index: 7, etag: 'e7' } }, /part 3 names part 7/],
    [{ data: { index: 3 } }, /part 3 has no etag/],
    [{ data: { index: 3, etag: '' } }, /part 3 has no etag/],
  ])('refuses %j, saying why', (body, why) => {
    const response = reply(body)
    expect(readReply(response, 3, 10)).toBeUndefined()
    const error = brokenReply(UploadError, response, 'part 3', 3, 10)
    expect(error).toMatchObject({ code: 'protocol_error', status: 200 })
    expect(error.message).toMatch(why)
  })
})

describe('a media object (§2d)', () => {
  it('is the completion’s data, with the file’s size or none', () => {
    const media = { id: 'med_1', object: 'media', filesize: 10 }
    expect(readReply(reply({ data: media }), null, 10)).toEqual(media)
    expect(readReply(reply({ data: { id: 'med_1' } }), null, 10)).toEqual({ id: 'med_1' })
  })

  it.each([
    [{ data: { object: 'media' } }, /has no media id/],
    [{ data: [] }, /has no `data` object/],
    [{ data: 'med_1' }, /has no `data` object/],
    [{ data: { id: 'med_1', filesize: 9 } }, /says 9 bytes were stored, not 10/],
  ])('refuses %j, saying why', (body, why) => {
    const response = reply(body)
    expect(readReply(response, null, 10)).toBeUndefined()
    expect(brokenReply(UploadError, response, 'the completion', null, 10).message).toMatch(why)
  })
})

describe('a refusal (§5)', () => {
  it('carries the server’s own words and the status', () => {
    const error = httpError(UploadError, reply({ error: { message: 'Disk full' } }, 507), 'part 1')
    expect(error).toMatchObject({ code: 'http_error', status: 507 })
    expect(error.message).toBe('The server refused part 1 (HTTP 507): Disk full')
    expect(httpError(UploadError, reply('nope', 400), 'part 1').message).toBe(
      'The server refused part 1 (HTTP 400)',
    )
  })
})

import { describe, expect, it } from 'vitest'
import {
  createUploadServer,
  createUploadSession,
  UploadSessionError,
} from '../../src/server/index.ts'
import { testServer } from './helpers.ts'

const running = testServer({ apiKey: 'backend-key' })

async function rejection(promise: Promise<unknown>): Promise<UploadSessionError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(UploadSessionError)
  return error as UploadSessionError
}

describe('createUploadSession()', () => {
  it('creates a session and resolves with its URL and fields', async () => {
    const session = await createUploadSession({
      apiKey: 'backend-key',
      baseUrl: `${running.origin}/`,
      resumable: true,
      filename: 'a.mp4',
      folder: 'usr_1',
      metadata: { user: 'usr_1' },
      conditions: [{ prop: 'kind', operator: '==', value: 'video' }],
      timeout: 60,
    })
    expect(session).toEqual({
      url: expect.stringMatching(new RegExp(`^${running.origin}/store/resumable\\?key=`)),
      conditions: [{ prop: 'kind', operator: '==', value: 'video' }],
      folder: 'usr_1',
      filename: 'a.mp4',
      metadata: { user: 'usr_1' },
      expires: expect.any(String),
    })
  })

  it('leaves out the fields the server answered as null', async () => {
    const session = await createUploadSession({ apiKey: 'backend-key', baseUrl: running.origin })
    expect(session.url).toContain('/store/single?key=')
    expect(session).not.toHaveProperty('folder')
    expect(session).not.toHaveProperty('filename')
    expect(session).not.toHaveProperty('conditions')
  })

  it('rejects with the status and the server message on a refusal', async () => {
    const error = await rejection(createUploadSession({ apiKey: 'wrong', baseUrl: running.origin }))
    expect(error.status).toBe(401)
    expect(error.message).toBe('The API key is not valid')
    expect(error.requestId).toMatch(/^req_/)
    const invalid = await rejection(
      createUploadSession({ apiKey: 'backend-key', baseUrl: running.origin, timeout: 5 }),
    )
    expect(invalid.status).toBe(400)
    expect(invalid.message).toMatch(/timeout/)
  })

  it('rejects with status 0 when the API cannot be reached', async () => {
    const closed = createUploadServer()
    const url = await closed.listen()
    await closed.close()
    const error = await rejection(createUploadSession({ apiKey: 'k', baseUrl: url }))
    expect(error.status).toBe(0)
    expect(error.message).toMatch(/Could not reach/)
  })

  it('rejects when the answer is not a JSON envelope', async () => {
    const fakeFetch: typeof fetch = async () =>
      new Response('<h1>Bad gateway</h1>', {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
      })
    const error = await rejection(
      createUploadSession({ apiKey: 'k', baseUrl: 'https://api.example', fetch: fakeFetch }),
    )
    expect(error.status).toBe(502)
    expect(error.message).toMatch(/without a JSON envelope/)
  })

  it('sends only the options given, with the key as a Bearer token', async () => {
    let seen: { url: string; init: RequestInit | undefined } | undefined
    const spy: typeof fetch = async (input, init) => {
      seen = { url: String(input), init }
      return Response.json({ data: { url: 'https://up.example/store/single?key=k' } })
    }
    await createUploadSession({
      apiKey: 'k',
      baseUrl: 'https://api.example/v1/',
      alias: 'x',
      fetch: spy,
    })
    expect(seen?.url).toBe('https://api.example/v1/uploads')
    expect(seen?.init?.method).toBe('POST')
    expect(new Headers(seen?.init?.headers).get('authorization')).toBe('Bearer k')
    expect(JSON.parse(String(seen?.init?.body))).toEqual({ alias: 'x' })
  })
})

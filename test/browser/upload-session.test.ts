import { beforeEach, describe, expect, it } from 'vitest'
import { createUpload } from '../../src/core/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  createSession,
  partRequests,
  resetServer,
  serverStats,
  setFaults,
  storedMedia,
} from '../support/server.ts'
import { failure } from '../support/upload.ts'

const PART = 32 * 1024

beforeEach(async () => {
  await resetServer()
})

describe('the `url` option', () => {
  it('turns a url function that throws into session_error with its reason', async () => {
    const upload = createUpload(makeFile(10), {
      url: () => Promise.reject(new Error('backend said 500')),
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('session_error')
    expect(error.message).toBe('Could not get an upload URL: backend said 500')
  })

  it('gives up on a url function that never answers', async () => {
    const upload = createUpload(makeFile(10), {
      url: () => new Promise<string>(() => undefined),
      sessionTimeoutMs: 300,
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('session_error')
    expect(error.message).toMatch(/no answer/)
  })

  it('refuses a session without a url', async () => {
    const upload = createUpload(makeFile(10), {
      url: async () => ({ url: '' }),
      resume: false,
    })
    expect((await failure(upload.start())).code).toBe('session_error')
  })
})

describe('conditions before any byte', () => {
  it('refuses a file that breaks the options’ conditions, sending nothing and creating no session', async () => {
    let sessions = 0
    const upload = createUpload(makeFile(2048, 'big.bin'), {
      url: async () => {
        sessions++
        return createSession()
      },
      conditions: [{ prop: 'filesize', operator: '<=', value: 1024 }],
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('conditions_failed')
    expect(error.refusal?.errors).toHaveLength(1)
    expect(error.refusal?.errors[0]).toMatchObject({ code: 'rule_failed', actual: 2048 })
    expect(sessions).toBe(0)
    expect((await serverStats()).bytesReceived).toBe(0)
  })

  it('says the refusal in the words given by conditionMessages (translation)', async () => {
    const upload = createUpload(makeFile(2000, 'gros.bin'), {
      url: 'http://127.0.0.1:9/never',
      conditions: [{ prop: 'filesize', operator: '<=', value: 1000 }],
      conditionMessages: {
        filesize: ({ value, limit }) => `Le fichier fait ${value} ; la limite est de ${limit}`,
      },
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.message).toBe('Le fichier fait 2 KB ; la limite est de 1 KB')
    expect(error.refusal?.errors[0]?.message).toBe(error.message)
  })

  it('applies the conditions the session answers with, too', async () => {
    const upload = createUpload(makeFile(4096), {
      url: async () => {
        const session = await createSession({
          resumable: true,
          conditions: { operator: '&&', rules: [{ key: 'filesize', operator: '<', value: 100 }] },
        })
        return { url: session.url, conditions: session.conditions }
      },
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('conditions_failed')
    expect((await serverStats()).bytesReceived).toBe(0)
  })

  it('rejects malformed conditions as invalid_conditions before any request', async () => {
    const upload = createUpload(makeFile(10), {
      url: 'http://127.0.0.1:9/never',
      conditions: [{ prop: 'filesize', operator: '=>', value: 1 }] as never,
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('invalid_conditions')
    expect(error.message).toMatch(/=>/)
  })
})

describe('the server agrees', () => {
  it('surfaces the server’s refusal of a file the client did not know to refuse', async () => {
    const file = makeFile(PART * 2, 'clip.bin')
    const upload = createUpload(file, {
      // The app hands over only the URL, so the client never sees the session's conditions.
      url: async () => {
        const session = await createSession({
          resumable: true,
          conditions: [{ prop: 'filesize', operator: '<=', value: PART }],
        })
        return session.url
      },
      chunkSize: PART,
      resume: false,
    })
    const error = await failure(upload.start())
    expect(error.code).toBe('http_error')
    expect(error.status).toBe(422)
    expect(error.message).toBe(
      "The server refused the completion of the upload (HTTP 422): The file does not meet the upload's conditions: The file is 65.5 KB; the limit is 32.8 KB",
    )
  })
})

describe('retry()', () => {
  it('continues a failed upload from its acknowledged parts', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', index: 4, status: 503 }])
    const file = makeFile(PART * 6)
    const { url } = await createSession()
    const upload = createUpload(file, {
      url,
      chunkSize: PART,
      concurrency: 1,
      resume: false,
      maxAttempts: 2,
      retryBaseDelayMs: 5,
    })
    await failure(upload.start())
    expect(upload.getSnapshot().partsAcknowledged).toBe(4)
    await setFaults([])
    const before = (await partRequests()).length
    const media = await upload.retry()
    const resent = (await partRequests()).slice(before).map((r) => r.index)
    expect(resent).toEqual([4, 5])
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  })
})

/**
 * The clients under test, each reduced to "send this file, resolve with where it landed".
 * Every one gets the File from the input as is: no copy, no pre-reading, so each library
 * reads the disk-backed file its own way. Each keeps its own retry defaults, as partwise does:
 * a retry shows as a slower run, and the sha256 check still catches wrong bytes.
 */
import * as UpChunk from '@mux/upchunk'
import { Upload as TusUpload } from 'tus-js-client'
import { createUpload, type Transport } from '../../src/core/index.ts'
import type { PageJob } from '../types.ts'
import { fetchTransport, quietXhrTransport, timerlessXhrTransport } from './transports.ts'

const TRANSPORTS: Record<'fetch' | 'xhr-no-progress' | 'xhr-no-timers', Transport> = {
  fetch: fetchTransport,
  'xhr-no-progress': quietXhrTransport,
  'xhr-no-timers': timerlessXhrTransport,
}

/** sessionStorage key: survives the reload, so the harness learns when it happened. */
export const RELOADED_AT = 'partwise-bench:reloaded-at'

/** The ceiling: the whole file as one request body, nothing else (no progress listener). */
async function sendRaw(file: File, job: PageJob): Promise<string | null> {
  if (job.client.kind !== 'ceiling') throw new Error('not a raw job')
  const body = job.client.slice ? file.slice() : file
  if (job.client.via !== 'xhr') {
    const response = await fetch(job.url, { method: 'PUT', body })
    if (!response.ok) throw new Error(`raw PUT answered ${response.status}`)
    return null
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', job.url)
    xhr.onload = () =>
      xhr.status < 300 ? resolve(null) : reject(new Error(`raw PUT answered ${xhr.status}`))
    xhr.onerror = () => reject(new Error('raw XHR PUT failed'))
    if (job.client.kind === 'ceiling' && job.client.progress) xhr.upload.onprogress = () => {}
    xhr.send(body)
  })
}

async function sendPartwise(file: File, job: PageJob, now: () => number): Promise<string> {
  if (job.client.kind !== 'partwise') throw new Error('not a partwise job')
  const { chunkSize, concurrency, transport } = job.client
  const { url, partLimits } = job
  const upload = createUpload(file, {
    // The session whole, as an app's url function resolves with it: its part_limits fit the
    // parts. `endpoint` keys the resume record as the plain URL string would.
    url: partLimits ? () => ({ url, part_limits: partLimits }) : url,
    endpoint: url,
    resume: job.resume && job.client.resume !== false,
    ...(transport === undefined ? {} : { transport: TRANSPORTS[transport] }),
    // Left out, not undefined, so the library's defaults apply (exactOptionalPropertyTypes).
    ...(chunkSize === undefined ? {} : { chunkSize }),
    ...(concurrency === undefined ? {} : { concurrency }),
  })
  const { reloadAt } = job
  if (reloadAt !== null) {
    upload.subscribe(() => {
      if (upload.getSnapshot().progress < reloadAt) return
      sessionStorage.setItem(RELOADED_AT, String(now()))
      location.reload()
    })
  }
  const media = await upload.start()
  return media.id
}

function sendUpChunk(file: File, job: PageJob): Promise<string> {
  if (job.client.kind !== 'upchunk') throw new Error('not an upchunk job')
  const { chunkKiB, dynamic } = job.client
  return new Promise((resolve, reject) => {
    const upload = UpChunk.createUpload({
      endpoint: job.url,
      file,
      method: 'PUT',
      chunkSize: chunkKiB,
      dynamicChunkSize: dynamic,
    })
    upload.on('success', () => resolve(job.url))
    upload.on('error', (event) => reject(new Error(JSON.stringify(event.detail))))
  })
}

function sendTus(file: File, job: PageJob): Promise<string> {
  if (job.client.kind !== 'tus') throw new Error('not a tus job')
  const { chunkSize } = job.client
  return new Promise((resolve, reject) => {
    const upload: TusUpload = new TusUpload(file, {
      endpoint: job.url,
      ...(chunkSize === null ? {} : { chunkSize }),
      // Each run is a new upload: no fingerprint lookup, no stored URL to resume from.
      storeFingerprintForResuming: false,
      onSuccess: () => resolve(upload.url ?? ''),
      onError: (error) => reject(error),
    })
    upload.start()
  })
}

/**
 * Sends `file` as `job` says; resolves with the id the server knows the bytes by. `now` is the
 * page's clock (clock.ts), for the moment a reload is triggered.
 */
export function send(file: File, job: PageJob, now: () => number): Promise<string | null> {
  switch (job.client.kind) {
    case 'ceiling':
      return sendRaw(file, job)
    case 'partwise':
      return sendPartwise(file, job, now)
    case 'upchunk':
      return sendUpChunk(file, job)
    case 'tus':
      return sendTus(file, job)
  }
}

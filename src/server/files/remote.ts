import { lookup as dnsLookup } from 'node:dns/promises'
import { createWriteStream } from 'node:fs'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { type Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HttpError } from '../http/reply.ts'
import { isPublicAddress } from './address-policy.ts'

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export interface ResolvedAddress {
  address: string
  family: number
}

export interface FetchOptions {
  /** Lets the fetch reach non-public addresses (`allowPrivateUrls`). */
  allowPrivate: boolean
  maxBytes: number
  /** For the whole fetch, redirects and body included. */
  timeoutMs: number
  /** Aborts the fetch (the server is closing). */
  signal?: AbortSignal
  /** Which addresses count as public; tests swap it to exercise the refusals on loopback. */
  isPublic?: (address: string) => boolean
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>
}

export interface Fetched {
  size: number
  /** The URL the bytes came from, after redirects. */
  url: URL
}

class TooLarge extends Error {}

/** Passes bytes on up to `limit`, then fails the pipeline: no more than that is ever written. */
function cap(limit: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length
      callback(seen > limit ? new TooLarge() : null, chunk)
    },
  })
}

function httpUrl(text: string, what: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new HttpError(400, `The ${what} is not a valid absolute URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(400, `The ${what} must be http or https, not ${url.protocol.slice(0, -1)}`)
  }
  return url
}

/**
 * Every address the host resolves to, each checked: one non-public address refuses the URL,
 * as the connection could be made to any of them. The connection then uses these very
 * addresses (see `pinned`), so a second DNS answer cannot swap in another (DNS rebinding).
 */
async function checkedAddresses(url: URL, options: FetchOptions): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const family = isIP(host)
  let addresses: ResolvedAddress[]
  if (family !== 0) {
    addresses = [{ address: host, family }]
  } else {
    const resolve = options.resolve ?? ((name) => dnsLookup(name, { all: true, verbatim: true }))
    try {
      addresses = await resolve(host)
    } catch {
      throw new HttpError(400, `The host ${host} does not resolve`)
    }
    if (addresses.length === 0) throw new HttpError(400, `The host ${host} does not resolve`)
  }
  if (!options.allowPrivate) {
    const isPublic = options.isPublic ?? isPublicAddress
    const refused = addresses.find((entry) => !isPublic(entry.address))
    if (refused) {
      throw new HttpError(
        400,
        `Refused to fetch ${url.host}: it resolves to ${refused.address}, a loopback, private or reserved address (start the server with allowPrivateUrls to allow it)`,
      )
    }
  }
  return addresses
}

/** A `lookup` that answers only the addresses already checked. */
function pinned(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0] as ResolvedAddress
    if (options.all) callback(null, addresses)
    else callback(null, first.address, first.family)
  }
}

function get(url: URL, addresses: ResolvedAddress[], signal: AbortSignal) {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, {
      signal,
      lookup: pinned(addresses),
      // A fresh connection per hop: a pooled socket could lead to an address never checked.
      agent: false,
      headers: { 'User-Agent': 'partwise-reference-server', Accept: '*/*' },
    })
    req.once('response', resolve)
    req.on('error', reject)
    req.end()
  })
}

/** `fetchInto` writing to a local file; the caller removes a partial file. */
export async function fetchToFile(
  text: string,
  path: string,
  options: FetchOptions,
): Promise<Fetched> {
  const { value, url } = await fetchInto(text, options, async (body) => {
    const out = createWriteStream(path)
    await pipeline(body, out)
    return out.bytesWritten
  })
  return { size: value, url }
}

/**
 * Fetches `text` for `POST /files` and hands its body, streamed, to `store`: http and https
 * only, every hop's addresses checked (redirects included), at most `maxBytes` passed on, all
 * within `timeoutMs`. `store` gets the declared length when the response gave one. Failures
 * are HttpErrors with the reason; `store` cleans up what it wrote before it rejects.
 */
export async function fetchInto<T>(
  text: string,
  options: FetchOptions,
  store: (body: Readable, length: number | null) => Promise<T>,
): Promise<{ value: T; url: URL }> {
  const timer = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([timer, options.signal]) : timer
  let url = httpUrl(text, 'url')
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await get(url, await checkedAddresses(url, options), signal)
      const status = response.statusCode ?? 0
      if (REDIRECTS.has(status)) {
        response.resume()
        const location = response.headers.location
        if (!location) throw new HttpError(502, `${url.host} answered ${status} with no Location`)
        url = httpUrl(new URL(location, url).href, 'redirect target')
        continue
      }
      if (status < 200 || status > 299) {
        response.resume()
        throw new HttpError(502, `The URL answered ${status}; nothing was stored`)
      }
      const declared = Number(response.headers['content-length'] ?? Number.NaN)
      if (declared > options.maxBytes) {
        response.destroy()
        throw new TooLarge()
      }
      const capped = cap(options.maxBytes)
      // Fails `capped` too (too large, timeout, a cut response), which fails `store`'s read.
      const feeding = pipeline(response, capped, { signal })
      feeding.catch(() => undefined)
      const value = await store(capped, Number.isFinite(declared) ? declared : null)
      await feeding
      return { value, url }
    }
    throw new HttpError(502, `The URL redirected more than ${MAX_REDIRECTS} times`)
  } catch (error) {
    if (error instanceof HttpError) throw error
    if (error instanceof TooLarge) {
      throw new HttpError(
        413,
        `The file at the URL is larger than the ${options.maxBytes} bytes this server fetches`,
      )
    }
    if (timer.aborted) {
      throw new HttpError(504, `Fetching the URL took longer than ${options.timeoutMs / 1000} s`)
    }
    const code = (error as NodeJS.ErrnoException).code
    throw new HttpError(502, `Could not fetch the URL${code ? ` (${code})` : ''}`)
  }
}

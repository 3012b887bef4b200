/**
 * `--public-url`: the origin clients reach this server at, when that is not the address it
 * listens on (a node behind a load balancer). Upload URLs and file URLs are built on it.
 *
 * One fixed origin, rather than one read from each request's `Host` or `X-Forwarded-Host`:
 * the request that makes an upload URL (`POST /uploads`) comes from the app's backend, which
 * often reaches the nodes by an internal address, so its headers name the wrong host; and a
 * header any client can send must not decide where other clients are told to send their
 * bytes. Only an origin is accepted (no path): partwise serves its routes at the root.
 */
export function parsePublicUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(
      `--public-url must be an absolute URL such as https://uploads.example.com, not "${text}"`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--public-url must be an http or https URL, not "${text}"`)
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error(
      `--public-url must be an origin only (scheme, host, port), such as ${url.origin}: partwise serves its routes at the root`,
    )
  }
  return url.origin
}

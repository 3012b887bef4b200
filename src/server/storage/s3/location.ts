/** Where in S3 the server keeps its objects: one bucket, and a key prefix inside it. */
export interface S3Location {
  bucket: string
  /** Empty, or ends with "/": every key the server writes starts with it. */
  prefix: string
}

// S3's rule for new buckets: 3–63 of lowercase letters, digits, dots and hyphens, starting and
// ending with a letter or digit. Path-style endpoints accept nothing else either.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** True for `s3://…`: the storage option names S3 rather than a directory. */
export const isS3Url = (value: string): boolean => /^s3:\/\//i.test(value)

/**
 * Parses `s3://BUCKET` or `s3://BUCKET/PREFIX` (the form `aws s3` takes). Throws a sentence
 * that quotes the value and shows the expected form.
 */
export function parseS3Url(value: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(value.trim())
  const bucket = match?.[1] ?? ''
  if (!match || !BUCKET.test(bucket)) {
    throw new Error(
      `"${value}" is not an S3 location: expected s3://BUCKET or s3://BUCKET/PREFIX, where BUCKET is 3–63 lowercase letters, digits, dots or hyphens`,
    )
  }
  const path = (match[2] ?? '').replace(/^\/+/, '').replace(/\/+$/, '')
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`"${value}": the prefix may not contain "." or ".." segments`)
  }
  return { bucket, prefix: path === '' ? '' : `${path}/` }
}

/** `s3://bucket/prefix/`, for messages. */
export const formatS3Url = ({ bucket, prefix }: S3Location): string => `s3://${bucket}/${prefix}`

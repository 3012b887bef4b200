/**
 * `--store s3`: the bench's own S3, the Swift (with s3api) the tests use (test/support/swift.ts),
 * on loopback in a temporary directory, with one fresh bucket. The servers reach it the way S3
 * users configure theirs: `s3://BUCKET/PREFIX` and the AWS SDK's standard environment.
 */
import { spawnSync } from 'node:child_process'
import { newBucket, rawClient } from '../test/support/s3.ts'
import { type SwiftFixture, startSwift } from '../test/support/swift.ts'

/** Swift's version, for the results' description of the setup. */
export function swiftVersion(): string {
  const result = spawnSync('/usr/bin/python3', ['-c', 'import swift; print(swift.__version__)'], {
    encoding: 'utf8',
  })
  return result.status === 0 ? result.stdout.trim() : 'unknown'
}

export interface BenchS3 {
  /** `s3://BUCKET/bench/`: what `--storage` is given. */
  location: string
  /** The AWS SDK's standard variables that reach this Swift. */
  env: Record<string, string>
  swift: SwiftFixture
  stop(): Promise<void>
}

export async function startBenchS3(): Promise<BenchS3> {
  const swift = await startSwift()
  try {
    const raw = rawClient(swift)
    const bucket = await newBucket(raw).finally(() => raw.destroy())
    return {
      location: `s3://${bucket}/bench/`,
      env: {
        AWS_ENDPOINT_URL_S3: swift.endpoint,
        AWS_REGION: swift.region,
        AWS_ACCESS_KEY_ID: swift.accessKeyId,
        AWS_SECRET_ACCESS_KEY: swift.secretAccessKey,
        // The pinned SDK runs on Node 20; its notice about 2027 would only clutter the output.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      swift,
      stop: () => swift.stop(),
    }
  } catch (error) {
    await swift.stop()
    throw error
  }
}

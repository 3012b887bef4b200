/** @type {import('next').NextConfig} */
export default {
  // The test type-checks this app with tsc (skipLibCheck off); Next's own check would load
  // TypeScript as a library, which TypeScript 7 does not offer.
  typescript: { ignoreBuildErrors: true },
  // Every run builds from scratch: writing Turbopack's cache only costs time (25 s here).
  experimental: { turbopackFileSystemCacheForBuild: false },
}

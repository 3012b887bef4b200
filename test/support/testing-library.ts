import { configure } from '@testing-library/react'

/**
 * Imported first by the React tests in Chromium. Testing Library's own waits (`waitFor`,
 * `findBy…`) give up after 1 s by default: less than a loaded two-core machine can take to render
 * a status change, with the reference server and other tests' Chromium sharing the cores. A wait
 * that is met returns at once, so a longer limit costs nothing on a passing run; the tests' own
 * limits (and Vitest's test timeout) stay in force. Not a setup file: the other browser test
 * files would load React Testing Library for nothing.
 */
configure({ asyncUtilTimeout: 10_000 })

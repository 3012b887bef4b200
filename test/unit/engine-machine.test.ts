import { describe, expect, it } from 'vitest'
import { transition, type UploadEvent } from '../../src/core/machine.ts'
import type { UploadStatus } from '../../src/core/types.ts'

/**
 * The upload's transition table, written out edge by edge: every change of status an event may
 * cause, and (by walking every status × event × planned) that nothing else changes a status.
 * `planned`: the upload URL is known and the parts are planned.
 */
const STATUSES: readonly UploadStatus[] = [
  'idle',
  'checking',
  'uploading',
  'retrying',
  'offline',
  'paused',
  'completing',
  'success',
  'error',
  'cancelled',
]
const EVENTS: readonly UploadEvent[] = [
  'start',
  'ready',
  'wait',
  'waited',
  'complete',
  'offline',
  'online',
  'pause',
  'resume',
  'retry',
  'succeed',
  'fail',
  'cancel',
]

type Edge = readonly [from: UploadStatus, event: UploadEvent, to: UploadStatus, planned?: boolean]

/** Every edge; `planned` only where the answer depends on it. */
const EDGES: readonly Edge[] = [
  ['idle', 'start', 'checking'],
  ['checking', 'ready', 'uploading'],
  ['uploading', 'wait', 'retrying'],
  ['retrying', 'waited', 'uploading'],
  ['uploading', 'complete', 'completing'],
  ['retrying', 'complete', 'completing'],
  ['uploading', 'offline', 'offline'],
  ['retrying', 'offline', 'offline'],
  ['completing', 'offline', 'offline'],
  ['offline', 'online', 'uploading'],
  ['checking', 'pause', 'paused'],
  ['uploading', 'pause', 'paused'],
  ['retrying', 'pause', 'paused'],
  ['completing', 'pause', 'paused'],
  ['offline', 'pause', 'paused'],
  ['paused', 'resume', 'uploading', true],
  ['paused', 'resume', 'checking', false],
  ['error', 'retry', 'uploading', true],
  ['error', 'retry', 'checking', false],
  // Success and failure come from anywhere not already ended that way.
  ...(
    ['idle', 'checking', 'uploading', 'retrying', 'offline', 'paused', 'completing'] as const
  ).flatMap((from): Edge[] => [
    [from, 'succeed', 'success'],
    [from, 'fail', 'error'],
    [from, 'cancel', 'cancelled'],
  ]),
  ['error', 'succeed', 'success'],
  ['error', 'cancel', 'cancelled'],
]

/** Every status × event × planned, with its expected next status: an edge's target, else the same. */
const CASES = STATUSES.flatMap((from) =>
  EVENTS.flatMap((event) =>
    [true, false].map((planned) => {
      const edge = EDGES.find(
        ([f, e, , p]) => f === from && e === event && (p === undefined || p === planned),
      )
      return { from, event, planned, to: edge?.[2] ?? from }
    }),
  ),
)

describe('transition(status, event, planned)', () => {
  it('has no edge twice', () => {
    const names = EDGES.map(([from, event, , planned]) => `${from} ${event} ${planned}`)
    expect(new Set(names).size).toBe(names.length)
  })

  it.each(CASES)('$from --$event (planned: $planned)--> $to', ({ from, event, planned, to }) => {
    expect(transition(from, event, planned)).toBe(to)
  })

  it('walks every edge of the table', () => {
    const walked = CASES.filter((c) => c.to !== c.from).length
    const edges = EDGES.reduce((n, [, , , planned]) => n + (planned === undefined ? 2 : 1), 0)
    expect(walked).toBe(edges)
  })

  it('ends only through succeed, fail and cancel, and leaves success and cancelled for good', () => {
    for (const { from, event, to } of CASES) {
      if (to !== from && (to === 'success' || to === 'error' || to === 'cancelled')) {
        expect(['succeed', 'fail', 'cancel']).toContain(event)
      }
      if (from === 'success' || from === 'cancelled') expect(to).toBe(from)
    }
  })
})

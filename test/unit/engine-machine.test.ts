import { describe, expect, it } from 'vitest'
import { type GoOn, transition, type UploadEvent } from '../../src/core/machine.ts'
import type { UploadStatus } from '../../src/core/types.ts'

/**
 * The upload's transition table, written out edge by edge: every change of status an event may
 * cause, and (by walking every status × event × goOn) that nothing else changes a status.
 * `goOn`: where going on leads (no URL yet: checking; a stored record's URL that has not
 * answered: verifying; else uploading).
 */
const STATUSES: readonly UploadStatus[] = [
  'idle',
  'checking',
  'verifying',
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
  'verified',
  'stale',
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
const GO_ON: readonly GoOn[] = ['checking', 'verifying', 'uploading']

type Edge = readonly [from: UploadStatus, event: UploadEvent, to: UploadStatus, goOn?: GoOn]

/** Edges whose target is wherever going on leads, one per `goOn`. */
const goingOn = (from: UploadStatus, event: UploadEvent): Edge[] =>
  GO_ON.map((goOn): Edge => [from, event, goOn, goOn])

/** Every edge; `goOn` only where the answer depends on it. */
const EDGES: readonly Edge[] = [
  ['idle', 'start', 'checking'],
  ...goingOn('checking', 'ready'),
  ['verifying', 'verified', 'uploading'],
  ['verifying', 'stale', 'checking'],
  ['uploading', 'wait', 'retrying'],
  ...goingOn('retrying', 'waited'),
  ['verifying', 'complete', 'completing'],
  ['uploading', 'complete', 'completing'],
  ['retrying', 'complete', 'completing'],
  ['verifying', 'offline', 'offline'],
  ['uploading', 'offline', 'offline'],
  ['retrying', 'offline', 'offline'],
  ...goingOn('offline', 'online'),
  ['checking', 'pause', 'paused'],
  ['verifying', 'pause', 'paused'],
  ['uploading', 'pause', 'paused'],
  ['retrying', 'pause', 'paused'],
  ['offline', 'pause', 'paused'],
  ...goingOn('paused', 'resume'),
  ...goingOn('error', 'retry'),
  // Success and failure come from anywhere not already ended that way.
  ...(
    [
      'idle',
      'checking',
      'verifying',
      'uploading',
      'retrying',
      'offline',
      'paused',
      'completing',
    ] as const
  ).flatMap((from): Edge[] => [
    [from, 'succeed', 'success'],
    [from, 'fail', 'error'],
  ]),
  // Cancel, too, but not once the completion is sent: the server may be storing the file.
  ...(['idle', 'checking', 'verifying', 'uploading', 'retrying', 'offline', 'paused'] as const).map(
    (from): Edge => [from, 'cancel', 'cancelled'],
  ),
  ['error', 'succeed', 'success'],
  ['error', 'cancel', 'cancelled'],
]

/** Every status × event × goOn, with its expected next status: an edge's target, else the same. */
const CASES = STATUSES.flatMap((from) =>
  EVENTS.flatMap((event) =>
    GO_ON.map((goOn) => {
      const edge = EDGES.find(
        ([f, e, , g]) => f === from && e === event && (g === undefined || g === goOn),
      )
      return { from, event, goOn, to: edge?.[2] ?? from }
    }),
  ),
)

describe('transition(status, event, goOn)', () => {
  it('has no edge twice', () => {
    const names = EDGES.map(([from, event, , goOn]) => `${from} ${event} ${goOn}`)
    expect(new Set(names).size).toBe(names.length)
  })

  it.each(CASES)('$from --$event (goOn: $goOn)--> $to', ({ from, event, goOn, to }) => {
    expect(transition(from, event, goOn)).toBe(to)
  })

  it('walks every edge of the table', () => {
    const walked = CASES.filter((c) => c.to !== c.from).length
    const edges = EDGES.reduce(
      (n, [from, , to, goOn]) => n + (goOn === undefined ? GO_ON.length : +(to !== from)),
      0,
    )
    expect(walked).toBe(edges)
  })

  it('lets nothing but its outcome end a completion once it is sent (#13 items 3, 4)', () => {
    for (const event of ['pause', 'offline', 'cancel'] as const) {
      expect(transition('completing', event, 'uploading')).toBe('completing')
    }
  })

  it('stays verifying until the stored URL answers, backoffs included (#13 item 14)', () => {
    // A part that waits out a backoff has not heard the URL say yes: still verifying.
    expect(transition('verifying', 'wait', 'verifying')).toBe('verifying')
    // Going on after a pause or a lost connection, the URL still unheard: verifying again.
    expect(transition('paused', 'resume', 'verifying')).toBe('verifying')
    expect(transition('offline', 'online', 'verifying')).toBe('verifying')
    // Only a verifying upload is stale: an upload whose URL answered once keeps it.
    expect(transition('uploading', 'stale', 'uploading')).toBe('uploading')
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

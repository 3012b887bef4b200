import { describe, expect, it } from 'vitest'
import { UploadError } from '../../src/core/index.ts'
import { acceptWords } from '../../src/ui/accept.ts'
import { barValues, fileView } from '../../src/ui/file-view.ts'
import type { QueueItem } from '../../src/ui/queue-types.ts'
import { IDLE_STATE } from '../../src/ui/state.ts'
import { defaultUploadMessages as m } from '../../src/ui/ui-messages.ts'

const noop = () => undefined
const item = (extra: Partial<QueueItem>): QueueItem => ({
  ...IDLE_STATE,
  id: '1',
  name: 'a.bin',
  queued: false,
  status: 'uploading',
  file: new Blob(),
  bytesUploaded: 17e6,
  bytesTotal: 48e6,
  progress: 17 / 48,
  pause: noop,
  resume: noop,
  cancel: noop,
  retry: noop,
  remove: noop,
  ...extra,
})

describe('the words of <Upload /> and <partwise-upload>', () => {
  it.each([
    [17e6, 48e6, '17 of 48 MB'],
    [500e3, 2e6, '500 KB of 2 MB'],
    [0, 48e6, '0 bytes of 48 MB'],
    [100, 100, '100 of 100 bytes'],
    [50_000_000, 50_000_000, '50 of 50 MB'],
  ])('say %d of %d bytes sent as "%s", in decimal units', (uploaded, total, words) => {
    expect(m.sent(uploaded, total)).toBe(words)
  })

  it('say progress, speed and size in decimal units, as aria-valuetext and the row read them', () => {
    expect(m.progressText(35, 17e6, 48e6)).toBe('35% (17 of 48 MB)')
    expect(m.speed(3.2e6)).toBe('3.2 MB/s')
    expect(m.size(100e6)).toBe('100 MB')
  })

  it.each([
    ['image/*', 'Images'],
    ['video/*, audio/*', 'Videos or Audio files'],
    ['image/*,.pdf,.PDF', 'Images or PDF'],
    ['.jpg,.png,.gif', 'JPG, PNG or GIF'],
    ['application/pdf', 'application/pdf'],
    ['', ''],
    [undefined, ''],
  ])('say accept="%s" as "%s"', (accept, words) => {
    expect(acceptWords(accept)).toBe(words)
  })

  it('hint at the accepted files and the most files, in words', () => {
    expect(m.hint('image/*', undefined)).toBe('Images')
    expect(m.hint('image/*,.pdf', 3)).toBe('Images or PDF · up to 3 files')
    expect(m.hint(undefined, 3)).toBe('up to 3 files')
  })

  it('say "Refused" for a file the conditions refused, and "Failed" for one that failed', () => {
    const refused = new UploadError('conditions_failed', 'no', {
      refusal: { file: new Blob(), errors: [] },
    })
    expect(fileView(item({ status: 'error', error: refused }), m, noop).word).toBe('Refused')
    const failed = new UploadError('http_error', 'no', { status: 400 })
    expect(fileView(item({ status: 'error', error: failed }), m, noop).word).toBe('Failed')
  })

  it('show the bytes sent and the percentage beside a bar, and none without one', () => {
    expect(fileView(item({}), m, noop).amounts).toEqual(['17 of 48 MB', '35%'])
    expect(fileView(item({ status: 'cancelled' }), m, noop).amounts).toBeNull()
  })

  it('fill the bar at success, whatever the last progress said', () => {
    const done = item({ status: 'success', progress: 0.97, bytesUploaded: 48e6 })
    expect(barValues(done, m)).toMatchObject({ fraction: 1, percent: 100 })
    expect(fileView(done, m, noop).word).toBe('Uploaded')
  })

  it('say that removing a file takes it from the list, not from the server', () => {
    const [word] = fileView(item({ status: 'success' }), m, noop).secondary
    expect(word).toBe('Remove from list')
    expect(m.buttonLabel(word, 'a.bin')).toBe('Remove from list a.bin')
  })
})

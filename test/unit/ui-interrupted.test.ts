import { describe, expect, it, vi } from 'vitest'
import {
  type ContinueOptions,
  type Upload,
  UploadError,
  type UploadSnapshot,
  type UploadStatus,
} from '../../src/core/index.ts'
import { listedEndpoint } from '../../src/ui/core-options.ts'
import { interruptedView } from '../../src/ui/interrupted.ts'
import { InterruptedStore } from '../../src/ui/interrupted-store.ts'
import type { FoundUpload, InterruptedHost } from '../../src/ui/interrupted-types.ts'
import { pickerTypes } from '../../src/ui/picker.ts'
import { IDLE_STATE } from '../../src/ui/state.ts'
import { defaultUploadMessages } from '../../src/ui/ui-messages.ts'

/**
 * The interrupted-uploads list's rules (#16) without a browser: what is listed, what Continue,
 * Discard, Start over and a new pick do, and the words each state shows. The core's side (the
 * records, handles, permission) is stood in for by plain objects.
 */

/** An upload whose status the test moves by hand. */
function fakeUpload(file: Blob): Upload & { go(status: UploadStatus, error?: UploadError): void } {
  const listeners = new Set<() => void>()
  let snapshot: UploadSnapshot = { ...IDLE_STATE, file, status: 'checking' }
  return {
    file,
    start: () => new Promise(() => undefined),
    pause: () => undefined,
    resume: () => undefined,
    cancel: () => undefined,
    retry: () => new Promise(() => undefined),
    setOptions: () => undefined,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => snapshot,
    go(status, error) {
      snapshot = { ...snapshot, status, error: error ?? null }
      for (const listener of [...listeners]) listener()
    },
  }
}

type Fake = FoundUpload & {
  continued: Array<ContinueOptions | undefined>
  upload: ReturnType<typeof fakeUpload> | null
  discarded: number
}

function found(name: string, extra: Partial<FoundUpload> = {}): Fake {
  const item: Fake = {
    key: `key:${name}`,
    name,
    size: 100,
    type: 'video/mp4',
    lastModified: 1_000,
    progress: 0.436,
    source: 'handle',
    elsewhere: false,
    continued: [],
    upload: null,
    discarded: 0,
    continue(options) {
      item.continued.push(options)
      item.upload = fakeUpload(new Blob(['x']))
      return item.upload
    },
    async discard() {
      item.discarded++
    },
    ...extra,
  }
  return item
}

function setup(list: Fake[]) {
  const adopted: Upload[] = []
  const added: File[][] = []
  const said: string[] = []
  const picks = vi.fn()
  const host: InterruptedHost = {
    find: vi.fn(async () => list),
    options: () => ({ concurrency: 2 }),
    adopt: (upload) => adopted.push(upload),
    add: (files) => added.push(files),
    pick: picks,
    announce: (text) => said.push(text),
    messages: () => defaultUploadMessages,
  }
  const store = new InterruptedStore(host)
  return { store, host, adopted, added, said, picks }
}

/** Settles the finding and the list's own loading. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))
const file = (name: string, size = 100, lastModified = 1_000, type = 'video/mp4') =>
  new File([new Uint8Array(size)], name, { type, lastModified })

describe('the interrupted-uploads list', () => {
  it("lists the endpoint's interrupted uploads, and says how many", async () => {
    const { store, host, said } = setup([found('big.mp4'), found('b.mov')])
    expect(store.getSnapshot()).toEqual([])
    store.setEndpoint('ep')
    await settle()
    expect(host.find).toHaveBeenCalledWith('ep')
    expect(store.getSnapshot().map((i) => i.name)).toEqual(['big.mp4', 'b.mov'])
    expect(said).toEqual(['2 interrupted uploads can be continued'])
    expect(store.getServerSnapshot()).toEqual([])
  })

  it('finds nothing without an endpoint (no records, or the list turned off)', async () => {
    const { store, host } = setup([found('big.mp4')])
    store.setEndpoint(null)
    await settle()
    expect(host.find).not.toHaveBeenCalled()
    expect(store.getSnapshot()).toEqual([])
  })

  it('shows "stopped at 43 %" with Continue and Discard, each naming the file', async () => {
    const { store } = setup([found('big.mp4')])
    store.setEndpoint('ep')
    await settle()
    const [item] = store.getSnapshot()
    const view = interruptedView(item as NonNullable<typeof item>, defaultUploadMessages)
    expect(view.stopped).toBe('stopped at 43 %')
    expect(view.note).toBeNull()
    expect(view.primary?.[0]).toBe('Continue')
    expect(view.secondary?.[0]).toBe('Discard')
    expect(view.labelOf('Continue')).toBe('Continue big.mp4')
    expect(view.label).toBe('Interrupted uploads')
  })

  it('takes replaced words from the messages object', async () => {
    const { store } = setup([found('big.mp4')])
    store.setEndpoint('ep')
    await settle()
    const item = store.getSnapshot()[0] as NonNullable<ReturnType<typeof store.getSnapshot>[0]>
    const m = { ...defaultUploadMessages, continue: 'Weiter', stoppedAt: (p: number) => `${p} %` }
    const view = interruptedView(item, m)
    expect(view.primary?.[0]).toBe('Weiter')
    expect(view.stopped).toBe('43 %')
  })

  it('Continue holds the item until it is past its checks, then hands the upload over', async () => {
    const big = found('big.mp4')
    const { store, adopted } = setup([big])
    store.setEndpoint('ep')
    await settle()
    store.getSnapshot()[0]?.continue()
    expect(big.continued).toEqual([{ concurrency: 2 }])
    expect(store.getSnapshot()[0]?.continuing).toBe(true)
    const view = interruptedView(store.getSnapshot()[0] as never, defaultUploadMessages)
    expect([view.note, view.primary, view.secondary]).toEqual(['Continuing…', null, null])
    big.upload?.go('verifying')
    expect(adopted).toEqual([big.upload])
    expect(store.getSnapshot()).toEqual([])
    store.refresh() // the record is still there while it uploads: not listed again
    await settle()
    expect(store.getSnapshot()).toEqual([])
  })

  it('keeps a refused permission listed with the reason, and Continue asks again', async () => {
    const big = found('big.mp4')
    const { store, adopted, said } = setup([big])
    store.setEndpoint('ep')
    await settle()
    store.getSnapshot()[0]?.continue()
    big.upload?.go('error', new UploadError('permission_denied', 'refused'))
    const item = store.getSnapshot()[0]
    expect(item?.problem).toBe('permission')
    expect(adopted).toEqual([])
    const view = interruptedView(item as never, defaultUploadMessages)
    expect(view.note).toMatch(/refused/)
    expect(view.primary?.[0]).toBe('Continue')
    expect(said.at(-1)).toBe(
      'big.mp4: Permission to read the file was refused: Continue asks again',
    )
    item?.continue()
    expect(big.continued).toHaveLength(2)
  })

  it('offers a changed file a start over, which forgets the record and opens the picker', async () => {
    const big = found('big.mp4')
    const { store, picks } = setup([big])
    store.setEndpoint('ep')
    await settle()
    store.getSnapshot()[0]?.continue()
    big.upload?.go('error', new UploadError('file_changed', 'changed'))
    const item = store.getSnapshot()[0]
    const view = interruptedView(item as never, defaultUploadMessages)
    expect(view.note).toMatch(/changed since its upload began/)
    expect(view.primary?.[0]).toBe('Start over')
    view.primary?.[1]()
    expect(big.discarded).toBe(1)
    expect(picks).toHaveBeenCalledTimes(1)
    expect(store.getSnapshot()).toEqual([])
  })

  it('continues a "pick" upload with the same file picked again, and no other', async () => {
    const clip = found('clip.mp4', { source: 'pick' })
    const { store, adopted } = setup([clip])
    store.setEndpoint('ep')
    await settle()
    expect(interruptedView(store.getSnapshot()[0] as never, defaultUploadMessages).note).toBe(
      'Pick clip.mp4 again to continue',
    )
    const other = file('other.mp4')
    const same = file('clip.mp4')
    expect(store.take([other, same])).toEqual([other])
    expect(clip.continued[0]?.file).toBe(same)
    clip.upload?.go('uploading')
    expect(adopted).toHaveLength(1)
  })

  it('holds back a different file of the same name, says so, and can start over with it', async () => {
    const clip = found('clip.mp4', { source: 'pick' })
    const { store, added, said } = setup([clip])
    store.setEndpoint('ep')
    await settle()
    const changed = file('clip.mp4', 100, 2_000)
    expect(store.take([changed])).toEqual([])
    expect(clip.continued).toEqual([])
    const item = store.getSnapshot()[0]
    expect(item?.problem).toBe('mismatch')
    expect(said.at(-1)).toBe(
      'clip.mp4: That is not the same clip.mp4: pick that file again, or start over',
    )
    item?.startOver()
    expect(clip.discarded).toBe(1)
    expect(added).toEqual([[changed]])
  })

  it('never lists a file the queue took before the finding answered: the queue has it', async () => {
    const clip = found('clip.mp4', { source: 'pick' })
    const big = found('big.mp4')
    const { store, said } = setup([clip, big])
    store.setEndpoint('ep')
    // Picked before the core answered: nothing is listed yet, so the queue takes it, and it
    // continues from its record there.
    const picked = file('clip.mp4')
    expect(store.take([picked])).toEqual([picked])
    await settle()
    expect(store.getSnapshot().map((i) => i.name)).toEqual(['big.mp4'])
    expect(said).toEqual(['1 interrupted upload can be continued'])
    store.refresh()
    await settle()
    expect(store.getSnapshot().map((i) => i.name)).toEqual(['big.mp4'])
    expect(clip.continued).toEqual([])
  })

  it('never lists a file the queue took while the list itself was loading', async () => {
    const clip = found('clip.mp4', { source: 'pick' })
    const { store, host } = setup([clip, found('big.mp4')])
    let answer = (): void => undefined
    vi.mocked(host.find).mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          answer = () => resolve([clip, found('big.mp4')])
        }),
    )
    store.setEndpoint('ep')
    answer()
    // The answer is in; the list's chunk is on its way.
    for (let i = 0; i < 3; i++) await Promise.resolve()
    const picked = file('clip.mp4')
    expect(store.take([picked])).toEqual([picked])
    await settle()
    expect(store.getSnapshot().map((i) => i.name)).toEqual(['big.mp4'])
  })

  it("loads no list when the only upload found is one the queue took (the element's early pick)", async () => {
    const { store, said } = setup([found('clip.mp4', { source: 'pick' })])
    store.queued([file('clip.mp4')])
    store.setEndpoint('ep')
    await settle()
    expect(store.getSnapshot()).toEqual([])
    expect(said).toEqual([])
  })

  it('shows an upload another tab is continuing as such, with no Continue or Discard', async () => {
    const { store } = setup([found('big.mp4', { elsewhere: true })])
    store.setEndpoint('ep')
    await settle()
    const view = interruptedView(store.getSnapshot()[0] as never, defaultUploadMessages)
    expect([view.note, view.primary, view.secondary]).toEqual([
      'Continuing in another tab',
      null,
      null,
    ])
  })

  it('Discard forgets it and says so', async () => {
    const big = found('big.mp4')
    const { store, said } = setup([big])
    store.setEndpoint('ep')
    await settle()
    store.getSnapshot()[0]?.discard()
    expect(store.getSnapshot()).toEqual([])
    expect(big.discarded).toBe(1)
    expect(said.at(-1)).toBe('big.mp4: Discarded')
  })
})

describe('listedEndpoint', () => {
  it('is the endpoint, or a url string, and none without records or with the list off', () => {
    expect(listedEndpoint({ endpoint: 'e', url: 'u' }, true)).toBe('e')
    expect(listedEndpoint({ url: 'https://u.test/x' }, true)).toBe('https://u.test/x')
    expect(listedEndpoint({ url: async () => 'u' }, true)).toBeNull()
    expect(listedEndpoint({ endpoint: 'e', resume: false }, true)).toBeNull()
    expect(listedEndpoint({ endpoint: 'e', mode: 'simple' }, true)).toBeNull()
    expect(listedEndpoint({ endpoint: 'e' }, false)).toBeNull()
  })
})

describe('pickerTypes', () => {
  it('maps `accept` to showOpenFilePicker types: MIME keys, extensions under one key', () => {
    expect(pickerTypes(undefined)).toBeUndefined()
    expect(pickerTypes('image/*, video/mp4,.PDF,.tar.gz')).toEqual([
      {
        accept: {
          'image/*': [],
          'video/mp4': [],
          'application/x-partwise': ['.pdf', '.tar.gz'],
        },
      },
    ])
  })
})

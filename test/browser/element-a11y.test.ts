import axe from 'axe-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { PartwiseUpload } from '../../src/element/index.ts'
import pngUrl from '../fixtures/media/image-64x48.png?url'
import { makeFile } from '../support/bytes.ts'
import { buttonOf, drag, inputOf, mount, PART, statusOf, transfer } from '../support/element.ts'
import { resetServer, setFaults } from '../support/server.ts'

/** Every axe rule that applies to a component (page-level rules need a whole page). */
async function violations(element: PartwiseUpload): Promise<string[]> {
  const results = await axe.run(element, { rules: { region: { enabled: false } } })
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)
}

/** Parts held 1 s: the upload is still going after axe's pass, however long a loaded machine takes. */
const SLOW_PARTS = [{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }]

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  document.body.replaceChildren()
})

describe('<partwise-upload> has no axe-core violation', () => {
  it('when empty, disabled, and unstyled', async () => {
    const element = mount({ multiple: '', accept: 'image/*', 'max-files': '3' })
    expect(await violations(element)).toEqual([])
    element.setAttribute('disabled', '')
    expect(await violations(element)).toEqual([])
    element.removeAttribute('disabled')
    element.setAttribute('unstyled', '')
    expect(await violations(element)).toEqual([])
  })

  it('while files are dragged over it, accepted or not', async () => {
    const element = mount({ accept: 'image/*' })
    drag('dragenter', element, transfer(new File(['x'], 'doc.pdf', { type: 'application/pdf' })))
    expect(await violations(element)).toEqual([])
  })

  it('while uploading, paused, and then done', async () => {
    await setFaults(SLOW_PARTS)
    const element = mount({ concurrency: '1' })
    await userEvent.upload(inputOf(element), makeFile(PART * 6, 'movie.bin'))
    await statusOf(element, 'movie.bin', 'uploading')
    expect(await violations(element)).toEqual([])
    await userEvent.click(buttonOf(element, 'Pause movie.bin'))
    await statusOf(element, 'movie.bin', 'paused')
    expect(await violations(element)).toEqual([])
    await setFaults([])
    await userEvent.click(buttonOf(element, 'Resume movie.bin'))
    await statusOf(element, 'movie.bin', 'success')
    expect(await violations(element)).toEqual([])
  })

  it('with a file refused by the conditions, a failed one, and a picture', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', status: 400 }])
    const element = mount({ multiple: '', concurrency: '1' })
    element.conditions = [{ prop: 'filesize', operator: '<=', value: 5000 }]
    const png = await (await fetch(pngUrl)).blob()
    await userEvent.upload(inputOf(element), [
      makeFile(9000, 'large.bin'),
      makeFile(100, 'small.bin'),
      new File([png], 'picture.png', { type: 'image/png' }),
    ])
    await statusOf(element, 'large.bin', 'error')
    await statusOf(element, 'small.bin', 'error')
    await statusOf(element, 'picture.png', 'error')
    expect(buttonOf(element, 'Retry small.bin')).toBeTruthy()
    expect(await violations(element)).toEqual([])
  })

  it('with many files in mixed states, and refused ones', async () => {
    await setFaults(SLOW_PARTS)
    const element = mount({ multiple: '', 'max-files': '4', 'parallel-files': '2', accept: '.bin' })
    await userEvent.upload(
      inputOf(element),
      [1, 2, 3, 4, 5].map((n) => makeFile(PART * 2, `f${n}.bin`)),
    )
    await statusOf(element, 'f3.bin', 'queued')
    await statusOf(element, 'f1.bin', 'uploading')
    expect(await violations(element)).toEqual([])
  })
})

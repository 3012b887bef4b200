import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { PartwiseUpload } from '../../src/element/index.ts'
import { makeFile } from '../support/bytes.ts'
import { inputOf, mount, PART, rootOf, shadowOf, statusOf } from '../support/element.ts'
import { resetServer, setFaults } from '../support/server.ts'

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  document.body.replaceChildren()
  document.head.querySelector('style[data-test]')?.remove()
})

function form(): HTMLFormElement {
  const element = document.createElement('form')
  element.innerHTML = '<input name="title" value="holiday">'
  document.body.append(element)
  return element
}

describe('<partwise-upload> in a form', () => {
  it('submits one entry per uploaded file under its name, and holds the form back meanwhile', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: 500 }])
    const parent = form()
    const element = mount({ name: 'media', multiple: '', concurrency: '1' }, {}, parent)
    const submits = vi.fn((event: SubmitEvent) => event.preventDefault())
    parent.addEventListener('submit', submits)
    expect(parent.checkValidity()).toBe(true) // nothing picked, not required
    await userEvent.upload(inputOf(element), [
      makeFile(PART * 3, 'one.bin'),
      makeFile(PART * 2, 'two.bin'),
    ])
    await statusOf(element, 'one.bin', 'uploading')
    expect(element.checkValidity()).toBe(false)
    expect(element.validationMessage).toBe('Wait until the uploads finish')
    parent.requestSubmit()
    expect(submits).not.toHaveBeenCalled()
    await setFaults([])
    await statusOf(element, 'one.bin', 'success')
    await statusOf(element, 'two.bin', 'success')
    await vi.waitFor(() => expect(parent.checkValidity()).toBe(true))
    parent.requestSubmit()
    expect(submits).toHaveBeenCalledTimes(1)
    const data = new FormData(parent)
    expect(data.get('title')).toBe('holiday')
    const ids = data.getAll('media')
    expect(ids).toHaveLength(2)
    expect(ids).toEqual(element.value)
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
  })

  it('with `required`, is invalid until a file is uploaded; a form reset empties it', async () => {
    const parent = form()
    const element = mount({ name: 'media', required: '' }, {}, parent)
    expect(element.validity.valueMissing).toBe(true)
    expect(element.validationMessage).toBe('Upload a file')
    expect(parent.checkValidity()).toBe(false)
    await userEvent.upload(inputOf(element), makeFile(1000, 'needed.bin'))
    await statusOf(element, 'needed.bin', 'success')
    await vi.waitFor(() => expect(element.validity.valid).toBe(true))
    expect(new FormData(parent).getAll('media')).toHaveLength(1)
    parent.reset()
    expect(element.validity.valueMissing).toBe(true)
    expect(new FormData(parent).getAll('media')).toEqual([])
    expect(shadowOf(element).querySelector('li[part~=item]')).toBeNull()
  })

  it('is disabled by a disabled fieldset, and then takes no file', async () => {
    const parent = form()
    const fieldset = document.createElement('fieldset')
    parent.append(fieldset)
    const element = mount({ name: 'media' }, {}, fieldset)
    fieldset.disabled = true
    await vi.waitFor(() => expect(rootOf(element).dataset.disabled).toBe(''))
    expect(inputOf(element).disabled).toBe(true)
    const data = new DataTransfer()
    data.items.add(makeFile(100, 'no.bin'))
    rootOf(element).dispatchEvent(
      new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
    )
    expect(shadowOf(element).querySelector('li[part~=item]')).toBeNull()
  })
})

describe('<partwise-upload> as a module and a styled element', () => {
  it('is defined once: importing the module again leaves the first definition alone', async () => {
    expect(customElements.get('partwise-upload')).toBe(PartwiseUpload)
    // The module runs again (a new URL): without its guard, define() would throw here.
    const again = `../../src/element/index.ts?again=${Date.now()}`
    await expect(import(/* @vite-ignore */ again)).resolves.toHaveProperty('PartwiseUpload')
    expect(customElements.get('partwise-upload')).toBe(PartwiseUpload)
  })

  it('takes the page’s --partwise-* values over its defaults, and has parts to style', () => {
    const style = document.createElement('style')
    style.dataset.test = ''
    style.textContent = 'partwise-upload { --partwise-accent: rgb(1, 2, 3) }'
    document.head.append(style)
    const element = mount()
    const zone = shadowOf(element).querySelector('[part~=zone]') as HTMLElement
    expect(getComputedStyle(zone).getPropertyValue('--partwise-accent').trim()).toBe('rgb(1, 2, 3)')
    expect(getComputedStyle(rootOf(element)).display).toBe('grid') // the default sheet applies
    for (const part of ['root', 'zone', 'input', 'prompt', 'list', 'live']) {
      expect(shadowOf(element).querySelector(`[part~=${part}]`), part).not.toBeNull()
    }
  })

  it('with `unstyled`, adopts no stylesheet and leaves the look to ::part()', () => {
    const element = mount({ unstyled: '' })
    expect(shadowOf(element).adoptedStyleSheets).toEqual([])
    expect(rootOf(element).classList.contains('partwise')).toBe(false)
    expect(getComputedStyle(rootOf(element)).display).toBe('block')
    element.removeAttribute('unstyled')
    expect(shadowOf(element).adoptedStyleSheets).toHaveLength(1)
  })

  it('takes properties set before it was defined, as frameworks do', async () => {
    const name = `late-upload-${Date.now()}`
    const element = document.createElement(name) as HTMLElement & { messages?: unknown }
    element.messages = { prompt: () => 'Send us your file' }
    document.body.append(element)
    customElements.define(name, class extends PartwiseUpload {})
    expect(element.shadowRoot?.querySelector('[part~=prompt]')?.textContent).toBe(
      'Send us your file',
    )
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { type App, createApp, defineComponent, h, ref } from 'vue'
import type { Media } from '../../src/core/index.ts'
import type { PartwiseUpload } from '../../src/element/index.ts'
import { makeFile } from '../support/bytes.ts'
import { getUrl, inputOf, PART, statusOf } from '../support/element.ts'
import { resetServer } from '../support/server.ts'

/** What a Vue app's bundler would define: without them Vue warns once per run. */
Object.assign(globalThis, {
  __VUE_OPTIONS_API__: false,
  __VUE_PROD_DEVTOOLS__: false,
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
})

let app: App | null = null

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  app?.unmount()
  app = null
  document.body.replaceChildren()
})

/**
 * A Vue 3 app, as a Vue user writes one: the element in its render function, a `url` function
 * and options bound as properties, a boolean attribute, and `@upload-success` handled by Vue,
 * which updates the app's own state.
 */
const UploadPage = defineComponent({
  setup() {
    const uploaded = ref<string[]>([])
    const multiple = ref(true)
    return () =>
      h('main', [
        h('partwise-upload', {
          url: getUrl,
          options: { resume: false },
          multiple: multiple.value,
          'chunk-size': String(PART),
          onUploadSuccess: (event: CustomEvent<Media>) => {
            uploaded.value = [...uploaded.value, event.detail.id]
          },
        }),
        h('p', { 'data-testid': 'count' }, `${uploaded.value.length} uploaded`),
      ])
  },
})

describe('<partwise-upload> inside a Vue 3 app', () => {
  it('takes its properties from Vue and tells Vue of each upload through an event', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    app = createApp(UploadPage)
    app.mount(host)
    const element = host.querySelector('partwise-upload') as PartwiseUpload
    expect(element.multiple).toBe(true)
    expect(typeof element.url).toBe('function')
    expect(element.options).toEqual({ resume: false })
    await userEvent.upload(inputOf(element), [
      makeFile(PART * 2, 'vue-a.bin'),
      makeFile(PART + 1, 'vue-b.bin'),
    ])
    await statusOf(element, 'vue-a.bin', 'success')
    await statusOf(element, 'vue-b.bin', 'success')
    const count = host.querySelector('[data-testid=count]') as HTMLElement
    await vi.waitFor(() => expect(count.textContent).toBe('2 uploaded'))
  })
})

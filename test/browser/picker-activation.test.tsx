import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { userEvent as simulated } from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Upload } from '../../src/react/index.ts'
import { makeFile } from '../support/bytes.ts'
import { getUrl, inputOf, mount, PART, statusOf } from '../support/element.ts'
import { resetServer } from '../support/server.ts'

/**
 * A click on the file input with no user activation behind it (a script's, Testing Library's
 * `upload`, which sets the files once the click's default runs) keeps its default: neither
 * `showOpenFilePicker` nor the native dialog may open then, so taking the click over for the
 * picker would only lose the files. Chromium has `showOpenFilePicker`: these run against it.
 */
beforeEach(async () => {
  await resetServer()
  expect('showOpenFilePicker' in window).toBe(true)
})
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
  vi.restoreAllMocks()
})

describe('a file input clicked without user activation', () => {
  it("<Upload /> takes the files Testing Library's upload sets", async () => {
    render(<Upload url={getUrl} chunkSize={PART} resume={false} />)
    const input = document.querySelector('input[type=file]') as HTMLInputElement
    await simulated.setup().upload(input, makeFile(PART + 1, 'simulated.bin'))
    const item = (
      await screen.findByText('simulated.bin', { selector: '.partwise__name' })
    ).closest('li') as HTMLElement
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 15_000 })
  })

  it("<partwise-upload> takes the files Testing Library's upload sets", async () => {
    const element = mount()
    await simulated.setup().upload(inputOf(element), makeFile(PART + 1, 'simulated.bin'))
    await statusOf(element, 'simulated.bin', 'success')
  })
})

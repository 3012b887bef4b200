import { describe, expect, it, vi } from 'vitest'
import { readHandle } from '../../src/core/interrupted/open.ts'

/**
 * Reading the file behind a stored FileSystemFileHandle (#16): after a reload its permission is
 * `'prompt'`, asked for with the user's click; a refusal is `permission_denied`, a file gone is
 * `file_changed`. (Chromium grants a private-file-system handle at once, so the e2e test cannot
 * refuse: these stand-in handles can.)
 */
function handle(query: PermissionState, request: PermissionState, file?: File) {
  return {
    kind: 'file',
    name: 'clip.mp4',
    queryPermission: vi.fn(async () => query),
    requestPermission: vi.fn(async () => request),
    getFile: vi.fn(async () => {
      if (!file) throw new DOMException('gone', 'NotFoundError')
      return file
    }),
  }
}

const file = new File(['abc'], 'clip.mp4')
const read = (h: ReturnType<typeof handle>) => readHandle(h as unknown as FileSystemFileHandle)

describe('readHandle()', () => {
  it('reads at once when permission is granted, without asking', async () => {
    const h = handle('granted', 'denied', file)
    await expect(read(h)).resolves.toBe(file)
    expect(h.requestPermission).not.toHaveBeenCalled()
  })

  it('asks for read permission, and reads once it is given', async () => {
    const h = handle('prompt', 'granted', file)
    await expect(read(h)).resolves.toBe(file)
    expect(h.requestPermission).toHaveBeenCalledWith({ mode: 'read' })
  })

  it('fails with permission_denied, saying why, when it is refused', async () => {
    const h = handle('prompt', 'denied', file)
    await expect(read(h)).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringMatching(/did not allow reading clip\.mp4/),
    })
    expect(h.getFile).not.toHaveBeenCalled()
  })

  it('fails with file_changed when the file was moved or deleted', async () => {
    await expect(read(handle('granted', 'granted'))).rejects.toMatchObject({
      code: 'file_changed',
      message: expect.stringMatching(/moved or deleted/),
    })
  })
})

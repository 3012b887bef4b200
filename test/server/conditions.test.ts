import { describe, expect, it } from 'vitest'
import type { Conditions } from '../../src/conditions/types.ts'
import type { Probed } from '../../src/server/media/server-probe.ts'
import type { SessionRecord } from '../../src/server/types.ts'
import { enforceConditions } from '../../src/server/uploads/conditions.ts'
import { measuredProps } from '../../src/server/uploads/store-upload.ts'

/** Conditions as a backend sends them; some tests send malformed ones on purpose. */
function session(conditions: unknown): SessionRecord {
  return {
    id: 'ses_test',
    resumable: true,
    filename: null,
    folder: null,
    alias: null,
    metadata: {},
    conditions: conditions as Conditions | null,
    created: '2024-01-01T00:00:00.000Z',
    expiresAt: 0,
    spent: false,
    mediaId: null,
    parts: {},
  }
}
/** What the server reads from the bytes; width, height and duration are not measured. */
const video = { kind: 'video', mimetype: 'video/mp4', filesize: 1000 } as const

describe('enforceConditions()', () => {
  it('accepts everything when the session has no conditions', () => {
    expect(enforceConditions(session(null), video)).toBeNull()
  })

  it('evaluates the array shape as all of its rules', () => {
    const rules = [
      { prop: 'kind', operator: '==', value: 'video' },
      { prop: 'filesize', operator: '<=', value: 999 },
    ]
    expect(enforceConditions(session(rules), video)).toBe(
      "The file does not meet the upload's conditions: The file is 1 KB; the limit is 999 bytes",
    )
    expect(enforceConditions(session(rules.slice(0, 1)), video)).toBeNull()
  })

  it('evaluates the {operator, rules} shape with && and ||', () => {
    const either = {
      operator: '||',
      rules: [
        { key: 'kind', operator: '==', value: 'image' },
        { key: 'mimetype', operator: '==', value: 'video/mp4' },
      ],
    }
    expect(enforceConditions(session(either), video)).toBeNull()
    expect(enforceConditions(session({ ...either, operator: '&&' }), video)).toMatch(
      /Only image files are accepted; this is a video/,
    )
    // A || that no branch meets is one reason, said as a person would.
    const neither = {
      operator: '||',
      rules: [either.rules[0], { key: 'filesize', operator: '<=', value: 999 }],
    }
    expect(enforceConditions(session(neither), video)).toBe(
      "The file does not meet the upload's conditions: The file must be an image, or any file up to 999 bytes; this video is 1 KB",
    )
  })

  it('accepts `type` as a synonym of `mimetype`', () => {
    const rules = [{ prop: 'type', operator: '!=', value: 'video/mp4' }]
    expect(enforceConditions(session(rules), video)).toMatch(
      /Files of type video\/mp4 are not accepted/,
    )
  })

  it('leaves rules on properties the server did not measure to the client', () => {
    const rules = [{ key: 'width', operator: '<=', value: 10 }]
    expect(enforceConditions(session(rules), video)).toBeNull()
    // In an ||, an unmeasured branch counts as passing rather than refusing the file.
    const either = {
      operator: '||',
      rules: [...rules, { key: 'kind', operator: '==', value: 'image' }],
    }
    expect(enforceConditions(session(either), video)).toBeNull()
  })

  it('uses the same parser as the browser: POST /uploads refuses malformed conditions', () => {
    expect(() =>
      enforceConditions(session([{ prop: 'size', operator: '<', value: 1 }]), video),
    ).toThrow()
  })

  it('refuses a kind rule when the server could not tell the kind', () => {
    const rules = [{ key: 'kind', operator: '==', value: 'video' }]
    expect(enforceConditions(session(rules), { ...video, kind: null })).toMatch(
      /Could not tell what kind of file this is/,
    )
  })

  it('sees what the server measured, and leaves out only what it could not measure', () => {
    const probed: Probed = {
      mimetype: 'video/mp4',
      format: 'mp4',
      kind: 'video',
      width: 1920,
      height: 1080,
      duration: null,
      fps: 30,
    }
    const props = measuredProps(probed, 1000)
    expect(props).toEqual({
      kind: 'video',
      mimetype: 'video/mp4',
      filesize: 1000,
      width: 1920,
      height: 1080,
    })
    const rules = [
      { key: 'width', operator: '<=', value: 1280 },
      { key: 'duration', operator: '<=', value: 1 },
    ]
    expect(enforceConditions(session({ operator: '&&', rules }), props)).toMatch(/1920/)
    expect(enforceConditions(session({ operator: '&&', rules: rules.slice(1) }), props)).toBeNull()
  })
})

import type { Conditions } from '../src/core/index.ts'

/** Upload conditions the visitor can switch between; the server gets the same ones. */
export const PRESETS: Record<string, { label: string; conditions: Conditions | undefined }> = {
  any: { label: 'Any file', conditions: undefined },
  images: {
    label: 'Images up to 2 MB',
    conditions: [
      { prop: 'kind', operator: '==', value: 'image' },
      { prop: 'filesize', operator: '<=', value: 2_000_000 },
    ],
  },
  short: {
    label: 'Videos up to 30 s and 1920 px',
    conditions: {
      operator: '&&',
      rules: [
        { key: 'kind', operator: '==', value: 'video' },
        { key: 'duration', operator: '<=', value: 30 },
        { key: 'width', operator: '<=', value: 1920 },
      ],
    },
  },
  either: {
    label: '(Video ≤ 5 min) or image',
    conditions: {
      operator: '||',
      rules: [
        {
          operator: '&&',
          rules: [
            { key: 'kind', operator: '==', value: 'video' },
            { key: 'duration', operator: '<=', value: 300 },
          ],
        },
        { key: 'kind', operator: '==', value: 'image' },
      ],
    },
  },
}

export type PresetName = keyof typeof PRESETS

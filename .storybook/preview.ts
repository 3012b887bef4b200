import type { Preview } from '@storybook/react-vite'
import { readableArgTypes } from './arg-types.ts'
import './preview.css'

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
  },
  argTypesEnhancers: [readableArgTypes],
}

export default preview

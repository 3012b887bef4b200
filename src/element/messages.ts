import { defaultUploadMessages, type UploadMessages } from '../ui/ui-messages.ts'

/** `<Upload />`'s messages, and the two a form needs: the element's `messages` property. */
export interface ElementMessages extends UploadMessages {
  /** The validity message of a `required` element with no uploaded file. */
  required: string
  /** The validity message while files are still uploading: the form waits for them. */
  busy: string
}

export const defaultElementMessages: ElementMessages = {
  ...defaultUploadMessages,
  required: 'Upload a file',
  busy: 'Wait until the uploads finish',
}

/**
 * What an element shows only once it holds a file, the rows and the queue line, as one chunk
 * loaded with the first file (see `View`): an empty control, the common case on a page that
 * loads, pays nothing for them.
 */
export { FileRow } from './file-row.ts'
export { QueueLine } from './queue-line.ts'

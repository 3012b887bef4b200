/**
 * The lazily loaded chunk of #16: what lets a reloaded page continue an upload without the file
 * being picked again. Nothing here is in the core's entry: see ../keep.ts.
 */
export { findInterruptedUploads as list } from './list.ts'
export { open } from './open.ts'

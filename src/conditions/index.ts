export { type CheckOptions, checkFile } from './check.ts'
export { enforceConditions } from './enforce.ts'
export { type EvaluateOptions, evaluateConditions } from './evaluate.ts'
export {
  type ConditionMessages,
  defaultMessages,
  formatBytes,
  formatDuration,
  type MessageContext,
} from './messages.ts'
export { combineConditions, neededProps, parseConditions } from './parse.ts'
export { type ProbeOptions, probeFile } from './probe.ts'
export * from './types.ts'

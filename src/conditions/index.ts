export { type ProbeOptions, probeFile } from './browser-probe.ts'
export { type CheckOptions, checkFile } from './check.ts'
export { enforceConditions } from './enforce.ts'
export { ConditionsError } from './errors.ts'
export { type EvaluateOptions, evaluateConditions } from './evaluate.ts'
export { combineConditions, neededProps, parseConditions } from './parse.ts'
export {
  type ConditionMessages,
  defaultMessages,
  type EitherContext,
  formatBytes,
  formatDuration,
  type MessageContext,
} from './refusal-messages.ts'
export * from './types.ts'

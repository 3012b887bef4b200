/** The media properties a condition can test. `type` is accepted as a synonym of `mimetype`. */
export type ConditionKey = 'kind' | 'mimetype' | 'filesize' | 'width' | 'height' | 'duration'
export type ConditionOperator = '==' | '!=' | '>' | '<' | '>=' | '<='
export type Combinator = '&&' | '||'
export type MediaKind = 'image' | 'video' | 'audio'
/**
 * What a file was found to be: `other` for a file whose type is known and is none of the media
 * kinds (a PDF), so `kind == video` fails as a plain mismatch rather than as `unreadable`.
 */
export type FileKind = MediaKind | 'other'

/** A rule in the `{ operator, rules: [{ key, … }] }` shape. */
export interface KeyRule {
  key: ConditionKey | 'type'
  operator: ConditionOperator
  value: string | number
}
/** A rule in the array shape `[{ prop, … }]`. */
export interface PropRule {
  prop: ConditionKey | 'type'
  operator: ConditionOperator
  value: string | number
}
export interface ConditionGroup {
  operator: Combinator
  rules: ReadonlyArray<KeyRule | PropRule | ConditionGroup>
}
/** Either shape from the upload guide; the array shape means `&&`. */
export type Conditions = ConditionGroup | ReadonlyArray<KeyRule | PropRule | ConditionGroup>

/** A parsed, validated condition tree. */
export type ConditionNode =
  | { readonly type: 'rule'; readonly rule: Rule }
  | {
      readonly type: 'group'
      readonly combinator: Combinator
      readonly children: readonly ConditionNode[]
    }

/** One normalised rule: `type` became `mimetype`, values checked against the key. */
export interface Rule {
  readonly key: ConditionKey
  readonly operator: ConditionOperator
  readonly value: string | number
}

/** What is known of a file. `null`: the property was needed but could not be read. */
export interface MediaProps {
  kind?: FileKind | null
  mimetype?: string | null
  filesize?: number | null
  width?: number | null
  height?: number | null
  duration?: number | null
}

/**
 * Why a file was refused: one rule it broke, or a `||` group none of whose branches held. Under
 * `&&` every failed rule is a reason of its own; a `||` group is one reason, since no single one
 * of its branches had to hold.
 */
export type ConditionFailure = RuleFailure | GroupFailure

/** Why one rule failed. `code` is `rule_failed` or `unreadable`. */
export interface RuleFailure {
  readonly code: 'rule_failed' | 'unreadable'
  readonly rule: Rule
  /** The file's value for the rule's key; null when it could not be read. */
  readonly actual: string | number | null
  readonly message: string
}

/** A `||` group that no branch of met, explained in one sentence ("must be A, or B; this is …"). */
export interface GroupFailure {
  readonly code: 'no_branch_held'
  /** The `||` group. */
  readonly group: ConditionNode
  /** Why each branch failed, branch by branch. */
  readonly branches: readonly (readonly ConditionFailure[])[]
  readonly message: string
}

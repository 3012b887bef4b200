import type { Preview } from '@storybook/react-vite'

type Enhancer = NonNullable<Preview['argTypesEnhancers']>[number]
type ArgTypes = ReturnType<Enhancer>

interface DocgenProp {
  description?: string
  tsType?: { name: string; raw?: string }
}

/** The core's test seams (`@internal` in UploadOptions): options, but not for an app. */
const INTERNAL = new Set(['transport', 'random', 'now'])
/** Types that get their own control once `| undefined` is gone (a union gets an object editor). */
const PLAIN = new Set(['boolean', 'string', 'number'])

/** `X | undefined` is X for an optional prop; `(a) => b` loses the parentheses a union needed. */
function readableType(raw: string): string {
  let type = raw.replace(/^undefined\s*\|\s*|\s*\|\s*undefined$/g, '').trim()
  if (type.startsWith('(') && closingParen(type) === type.length - 1) type = type.slice(1, -1)
  return type
}

function closingParen(text: string): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')' && --depth === 0) return i
  }
  return -1
}

/** A TSDoc `@default`, as the props' comments write it: a value, then maybe why. */
function defaultOf(description: string): { summary: string; detail?: string } | undefined {
  const text = /@default\s+([\s\S]*)$/.exec(description)?.[1]?.trim()
  if (!text) return undefined
  // The value, up to the first clause that explains it: the table's column stays narrow.
  const summary = (text.split(/[:;,\n]| \(/)[0] ?? text).trim()
  return summary === text ? { summary } : { summary, detail: text.replace(/\s+/g, ' ') }
}

/**
 * react-docgen's props, as a reader of the props table needs them. Storybook shows a TypeScript
 * union by the word "union" (`multiple?: boolean | undefined` is one), and knows no `@default`
 * tag: here the table shows the type as written, without the `| undefined` of an optional prop,
 * and the `@default` of each prop's comment (false for a boolean without one). A boolean, a
 * string or a number gets its own control. The core's test seams are not shown.
 */
export const readableArgTypes: Enhancer = (context) => {
  const component = context.component as { __docgenInfo?: { props?: Record<string, DocgenProp> } }
  const props = component?.__docgenInfo?.props ?? {}
  const argTypes: ArgTypes = { ...context.argTypes }
  // Hidden whether or not docgen lists them: Storybook infers argTypes from the args after this
  // enhancer, and the published stories' args carry the in-page server's `transport`.
  for (const name of INTERNAL) {
    const argType = argTypes[name]
    argTypes[name] = { ...argType, name, table: { ...argType?.table, disable: true } }
  }
  for (const [name, argType] of Object.entries(argTypes)) {
    if (INTERNAL.has(name)) continue
    const prop = props[name]
    const raw = prop?.tsType?.raw ?? prop?.tsType?.name
    if (!prop || !raw) continue
    const type = readableType(raw)
    const comment = prop.description ?? ''
    const defaultValue =
      defaultOf(comment) ?? (type === 'boolean' ? { summary: 'false' } : undefined)
    // A comment that is only a `@default` (`@default false: one file at a time`) explains
    // the prop in its default's words.
    const description =
      comment.replace(/@default[\s\S]*$/, '').trim() ||
      (defaultValue?.detail?.slice(defaultValue.summary.length).replace(/^[\s:;,]+/, '') ?? '')
    argTypes[name] = {
      ...argType,
      ...(PLAIN.has(type) && {
        type: { name: type as 'boolean' | 'string' | 'number', required: false },
      }),
      description,
      table: {
        ...argType.table,
        type: { summary: type },
        ...(defaultValue && { defaultValue }),
      },
    }
  }
  return argTypes
}

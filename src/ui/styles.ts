/**
 * The default look of `<Upload />` and `<partwise-upload>`, themed through `--partwise-*`
 * variables. Tints derive from `currentColor`, so it reads on light and dark pages. So do the
 * colours: each is its hue mixed with the page's text colour, which a page already keeps in
 * contrast with its background. Dark red on a light page, light red on a dark one, with no
 * `color-scheme` needed: WCAG AA (4.5:1 for the words, 3:1 for the bar against its track and
 * the page) holds wherever the page's own text reaches about 9:1, which test/browser's axe
 * checks on a #111 page prove.
 */

/** The theme's defaults: on `.partwise` for React, on `:host` for the element. */
const THEME =
  '--partwise-accent:color-mix(in srgb,#2563eb 60%,currentColor);--partwise-danger:color-mix(in srgb,#dc2626 60%,currentColor);--partwise-success:color-mix(in srgb,#16a34a 60%,currentColor);--partwise-border:color-mix(in srgb,currentColor 35%,transparent);--partwise-track:color-mix(in srgb,currentColor 20%,transparent);--partwise-surface:color-mix(in srgb,currentColor 4%,transparent);--partwise-radius:.5rem;--partwise-gap:.75rem;--partwise-bar-height:.375rem;'

const ROOT = 'display:grid;gap:var(--partwise-gap)'

/** Every rule under the root: scoped under `.partwise`, which `unstyled` leaves off. */
const RULES = `.partwise__zone{position:relative;display:grid;justify-items:center;gap:.25rem;padding:1.5rem 1rem;border:2px dashed var(--partwise-border);border-radius:var(--partwise-radius);background:var(--partwise-surface);text-align:center;cursor:pointer}
.partwise__zone:hover,.partwise[data-dragging] .partwise__zone{border-color:var(--partwise-accent)}
.partwise__zone:has(:focus-visible){outline:2px solid var(--partwise-accent);outline-offset:2px}
.partwise[data-dragging] .partwise__zone{background:color-mix(in srgb,var(--partwise-accent) 10%,transparent)}
.partwise[data-drag-reject] .partwise__zone{border-color:var(--partwise-danger);background:color-mix(in srgb,var(--partwise-danger) 8%,transparent)}
.partwise[data-disabled] .partwise__zone{opacity:.6;cursor:not-allowed}
.partwise__prompt{font-weight:600}
.partwise__hint,.partwise__meta{font-size:.875em}
.partwise [hidden]{display:none}
.partwise__list{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:auto minmax(0,1fr) auto;gap:.5rem}
.partwise__item{grid-column:1/-1;display:grid;grid-template-columns:subgrid;align-items:center;gap:.75rem;padding:.5rem;border:1px solid var(--partwise-border);border-radius:var(--partwise-radius);font-variant-numeric:tabular-nums}
.partwise__queue{display:grid;gap:.5rem}.partwise__summary{margin:0;font-size:.875em}
.partwise__preview{flex:none;width:3rem;height:3rem;display:grid;place-items:center;overflow:hidden;border-radius:calc(var(--partwise-radius) / 2);background:var(--partwise-surface)}
.partwise__preview img,.partwise__preview video{width:100%;height:100%;object-fit:cover}
.partwise__body{min-width:0;display:grid;gap:.25rem}
.partwise__line{display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:0}
.partwise__stopped{font-weight:600}
.partwise__name{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-weight:600}
.partwise__amounts{margin-left:auto;white-space:nowrap}
.partwise__percent{display:inline-block;min-width:4ch;text-align:end}
.partwise__bar{height:var(--partwise-bar-height);border-radius:999px;overflow:hidden;background:var(--partwise-track)}
.partwise__fill{display:block;height:100%;background:var(--partwise-accent);transition:width .2s linear}
.partwise [data-status=success] .partwise__fill{background:var(--partwise-success);transition:none}
.partwise [data-status=error] .partwise__fill{background:var(--partwise-danger)}
.partwise [data-status=paused] .partwise__fill{background:color-mix(in srgb,currentColor 60%,transparent)}
.partwise [data-status=success] .partwise__status{color:var(--partwise-success)}
.partwise [data-status=error] .partwise__status{color:var(--partwise-danger)}
.partwise__errors{margin:0;padding-left:1.25em;font-size:.875em;color:var(--partwise-danger)}
p.partwise__errors,.partwise__refused{padding:0;list-style:none}
.partwise__refusals{display:flex;align-items:start;gap:.5rem}
.partwise__refused{flex:1}
.partwise__actions{display:flex;justify-content:end;gap:.5rem}
.partwise__button{font:inherit;font-size:.875em;padding:.25rem .75rem;border:1px solid var(--partwise-border);border-radius:calc(var(--partwise-radius) / 2);background:transparent;color:inherit;cursor:pointer}
.partwise__button:hover{border-color:var(--partwise-accent)}
.partwise__button:focus-visible{outline:2px solid var(--partwise-accent);outline-offset:2px}
@media (prefers-reduced-motion:reduce){.partwise__fill{transition:none}}`

/**
 * For `<Upload />`, in the page: the theme on `.partwise` itself. Exported for server
 * rendering: put it in a `<style data-partwise>` in the page's head and the component will not
 * add it again.
 */
export const partwiseCss = `.partwise{${THEME}${ROOT}}\n${RULES}`

/**
 * For `<partwise-upload>`, in its shadow root: the theme on `:host`, so that the page's own
 * `partwise-upload { --partwise-accent: … }` wins over it, as it would over `.partwise`.
 */
export const elementCss = `:host{${THEME}display:block}:host([hidden]){display:none}.partwise{${ROOT}}\n${RULES}`

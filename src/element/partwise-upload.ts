import { type Conditions, findInterruptedUploads, type UrlOption } from '../core/index.ts'
import { parseAccept } from '../ui/accept.ts'
import { type Announcement, Announcer } from '../ui/announcer.ts'
import type { BeforeUpload } from '../ui/before-upload.ts'
import { browse } from '../ui/browse.ts'
import { listedEndpoint } from '../ui/core-options.ts'
import { type FileRefusal, sortFiles } from '../ui/drop-rules.ts'
import { intake } from '../ui/intake.ts'
import type { InterruptedStore } from '../ui/interrupted-store.ts'
import type { QueueItem, QueueState, UploadQueueOptions } from '../ui/queue-types.ts'
import { UploadQueue } from '../ui/upload-queue.ts'
import { dropTarget } from './drop-target.ts'
import { syncForm } from './form.ts'
import { defaultElementMessages, type ElementMessages } from './messages.ts'
import { ATTRIBUTES, numberAttribute, queueOptions } from './options.ts'
import { View } from './view.ts'

/** The properties a framework may set before the definition (see `#upgradeProperties`). */
const UPGRADED = [
  'url',
  'conditions',
  'messages',
  'options',
  'beforeUpload',
  'multiple',
  'disabled',
  'required',
  'name',
  'accept',
]

/** Importing this module where there is no DOM (server rendering) must not throw. */
const Base = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement

/**
 * `<partwise-upload>`: `<Upload />` for any page or framework, over the same queue, messages,
 * announcer and drop-zone rules (src/ui). Files come by the picker (a click, or Enter / Space on
 * the native file input, the first Tab stop), by drag and drop and by paste. It fires
 * `upload-start`, `upload-progress`, `upload-success` (detail: the media), `upload-error`
 * (detail: the UploadError, a refusal by the conditions included) and `queue-change` (detail:
 * the queue's state), all bubbling and composed. In a form it submits one entry under its
 * `name` per uploaded file, the media id, and holds the form back while files upload.
 * With `manual`, files wait for its Upload button (`autoStart: false`; still checked against the
 * conditions at once). The `beforeUpload` property (or `options.beforeUpload`): its metadata reaches
 * a `url` function as its second argument, and the `session` route in the POSTed body.
 */
export class PartwiseUpload extends Base {
  static readonly formAssociated = true
  static readonly observedAttributes = ATTRIBUTES

  readonly #internals: ElementInternals
  readonly #view: View
  readonly #queue: UploadQueue
  readonly #announcer: Announcer
  /** The interrupted uploads (#16), once the core found some; their endpoint; the focus watch. */
  #list: InterruptedStore | null = null
  #listed: string | null = null
  #unlist: (() => void) | undefined
  /** Files taken while the list is being looked for: the list, once loaded, never lists them. */
  #unlisted: File[] | null = null
  #lines: readonly Announcement[] = []
  #url: UrlOption | undefined
  #conditions: Conditions | undefined
  #messages: Partial<ElementMessages> = {}
  #m: ElementMessages = defaultElementMessages
  #extra: Partial<UploadQueueOptions> = {}
  #refusals: readonly FileRefusal[] = []
  #dragging = false
  #dragReject = false
  #formDisabled = false
  readonly #started = new Set<string>()
  #unmount: (() => void) | null = null
  readonly #listenToPage: (on: boolean) => void

  constructor() {
    super()
    this.#internals = this.attachInternals()
    const shadow = this.attachShadow({ mode: 'open', delegatesFocus: true })
    this.#view = new View(
      shadow,
      (item) => this.#remove(item),
      () => this.#dismiss(),
    )
    // Shown at once: a line may come from outside a render (the interrupted list's).
    this.#announcer = new Announcer((lines) => {
      this.#lines = lines
      this.#render()
    })
    this.#queue = new UploadQueue(this.#options())
    this.#queue.subscribe(() => this.#changed())
    const input = this.#view.input
    input.addEventListener('change', () => {
      this.#take(Array.from(input.files ?? []))
      // Cleared so that picking the same file again (after removing it) fires change again.
      input.value = ''
    })
    // On the shadow root, after the page's own listeners on the input: see `browse`.
    shadow.addEventListener('click', (event) =>
      browse(event, input, this.accept, this.multiple, (files) => this.#take(files)),
    )
    const element = this
    this.#listenToPage = dropTarget(this, {
      get disabled() {
        return element.#isDisabled
      },
      get tokens() {
        return parseAccept(element.getAttribute('accept') ?? undefined)
      },
      get multiple() {
        return element.multiple
      },
      get pasteAnywhere() {
        return element.hasAttribute('paste-anywhere')
      },
      drag: (dragging, reject) => {
        this.#dragging = dragging
        this.#dragReject = reject
        this.#render()
      },
      take: (files) => this.#take(files),
    })
    this.#upgradeProperties()
  }

  /**
   * A framework may set `url` or `messages` on the element before this class is defined: the
   * value then sits on the instance and hides the setter. Taken and set again, through it.
   */
  #upgradeProperties(): void {
    const self = this as unknown as Record<string, unknown>
    for (const key of UPGRADED) {
      if (!Object.hasOwn(this, key)) continue
      const value = self[key]
      delete self[key]
      self[key] = value
    }
  }

  connectedCallback(): void {
    this.#unmount = this.#queue.mount()
    this.#unlist = this.#list?.mount()
    this.#listenToPage(true)
    this.#update()
  }

  /** Pauses what runs (a move within the page, done at once, pauses nothing). */
  disconnectedCallback(): void {
    this.#unmount?.()
    this.#unmount = null
    this.#unlist?.()
    this.#listenToPage(false)
  }

  attributeChangedCallback(): void {
    this.#update()
  }

  formDisabledCallback(disabled: boolean): void {
    this.#formDisabled = disabled
    this.#render()
  }

  formResetCallback(): void {
    this.#queue.actions.clear()
    this.#refusals = []
    this.#render()
  }

  /** The upload URL, or a function that creates a session for each file (see `UrlOption`). */
  get url(): UrlOption {
    return this.#url ?? this.getAttribute('url') ?? ''
  }
  set url(value: UrlOption | undefined) {
    this.#url = value
    this.#update()
  }

  /** Checked before any byte is sent; takes precedence over the `conditions` attribute. */
  get conditions(): Conditions | undefined {
    return this.#conditions
  }
  set conditions(value: Conditions | undefined) {
    this.#conditions = value
    this.#update()
  }

  /** Any subset of the words; the rest stay English. */
  get messages(): Partial<ElementMessages> {
    return this.#messages
  }
  set messages(value: Partial<ElementMessages> | undefined) {
    this.#messages = value ?? {}
    this.#m = { ...defaultElementMessages, ...value }
    this.#update()
  }

  /** Any other option of the queue or the core (`resume`, `headers`, `mode`, …). */
  get options(): Partial<UploadQueueOptions> {
    return this.#extra
  }
  set options(value: Partial<UploadQueueOptions> | undefined) {
    this.#extra = value ?? {}
    this.#update()
  }

  /** Renames, gives metadata to, or refuses each file as it is added (see `BeforeUpload`). */
  get beforeUpload(): BeforeUpload | undefined {
    return this.#extra.beforeUpload
  }
  set beforeUpload(value: BeforeUpload | undefined) {
    this.options = { ...this.#extra, beforeUpload: value }
  }

  /** The queue as it is: every file with its state and controls, and the totals. */
  get state(): QueueState {
    return this.#queue.getSnapshot()
  }

  /** The uploaded files' media ids: what the form submits. */
  get value(): string[] {
    return this.state.items.flatMap((item) => (item.result ? [item.result.id] : []))
  }

  get multiple(): boolean {
    return this.hasAttribute('multiple')
  }
  set multiple(on: boolean) {
    this.toggleAttribute('multiple', Boolean(on))
  }
  get disabled(): boolean {
    return this.hasAttribute('disabled')
  }
  set disabled(on: boolean) {
    this.toggleAttribute('disabled', Boolean(on))
  }
  get required(): boolean {
    return this.hasAttribute('required')
  }
  set required(on: boolean) {
    this.toggleAttribute('required', Boolean(on))
  }
  get name(): string {
    return this.getAttribute('name') ?? ''
  }
  set name(value: string) {
    this.setAttribute('name', value)
  }
  get accept(): string {
    return this.getAttribute('accept') ?? ''
  }
  set accept(value: string) {
    this.setAttribute('accept', value)
  }

  get form(): HTMLFormElement | null {
    return this.#internals.form
  }
  get validity(): ValidityState {
    return this.#internals.validity
  }
  get validationMessage(): string {
    return this.#internals.validationMessage
  }
  get willValidate(): boolean {
    return this.#internals.willValidate
  }
  checkValidity(): boolean {
    return this.#internals.checkValidity()
  }
  reportValidity(): boolean {
    return this.#internals.reportValidity()
  }

  #options(): UploadQueueOptions {
    return queueOptions(this, {
      url: this.#url,
      conditions: this.#conditions,
      extra: this.#extra,
      callbacks: {
        onSuccess: (media) => this.#fire('upload-success', media),
        onError: (error) => this.#fire('upload-error', error),
        onProgress: (snapshot) => this.#fire('upload-progress', snapshot),
      },
    })
  }

  #fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }))
  }

  get #isDisabled(): boolean {
    return this.disabled || this.#formDisabled
  }

  #update(): void {
    const options = this.#options()
    this.#queue.setOptions(options)
    this.#find(listedEndpoint(options, !this.hasAttribute('hide-interrupted')))
    this.#sync()
    this.#render()
  }

  /** The interrupted uploads of `endpoint`: the list loads once the core has found some. */
  #find(endpoint: string | null): void {
    if (endpoint === this.#listed) return
    this.#listed = endpoint
    if (this.#list) this.#list.setEndpoint(endpoint)
    else if (endpoint) this.#load(endpoint).catch(Boolean) // nothing found is nothing to list
  }

  async #load(endpoint: string): Promise<void> {
    this.#unlisted = []
    try {
      const found = await findInterruptedUploads({ endpoint })
      if (found[0] && !this.#list) await this.#loadList()
    } finally {
      this.#unlisted = null
    }
  }

  async #loadList(): Promise<void> {
    const { interruptedFor } = await import('./interrupted.ts')
    this.#list ??= interruptedFor(
      {
        queue: this.#queue,
        announcer: this.#announcer,
        view: this.#view,
        // A start over's file: taken as a pick (the list no longer holds its upload).
        add: (files) => this.#take(files),
        messages: () => this.#m,
      },
      this.#listed,
    )
    this.#list.queued(this.#unlisted ?? [])
    if (this.isConnected) this.#unlist = this.#list.mount()
  }

  #changed(): void {
    const state = this.#queue.getSnapshot()
    for (const item of state.items) {
      if (this.#started.has(item.id) || item.queued || item.status === 'idle') continue
      this.#started.add(item.id)
      this.#fire('upload-start', item)
    }
    this.#announcer.hear(state.items, this.#m)
    this.#sync()
    this.#render()
    this.#fire('queue-change', state)
  }

  #sync(): void {
    const { required, name } = this
    const state = this.#queue.getSnapshot()
    syncForm(this.#internals, state, name || null, required, this.#m, this.#view.input)
  }

  #render(): void {
    const multiple = this.multiple
    this.#view.render({
      queue: { ...this.#queue.getSnapshot(), ...this.#queue.actions },
      messages: this.#m,
      multiple,
      disabled: this.#isDisabled,
      accept: this.getAttribute('accept') ?? undefined,
      maxFiles: numberAttribute(this, 'max-files') ?? this.#extra.maxFiles,
      unstyled: this.hasAttribute('unstyled'),
      dragging: this.#dragging,
      dragReject: this.#dragReject,
      refusals: this.#refusals,
      lines: this.#lines,
    })
    // Not from the constructor: an element made by createElement must not gain attributes there.
    if (!this.isConnected) return
    this.toggleAttribute('data-dragging', this.#dragging)
    this.dataset.status = this.#queue.getSnapshot().status
  }

  #take(files: File[]): void {
    if (this.#isDisabled || files.length === 0) return
    const multiple = this.multiple
    const tokens = parseAccept(this.getAttribute('accept') ?? undefined)
    const { accepted, refused } = sortFiles(files, tokens, multiple)
    const maxFiles = numberAttribute(this, 'max-files') ?? this.#extra.maxFiles
    // A file that continues an interrupted upload is taken by the list, not added afresh.
    const rest = this.#list?.take(accepted) ?? accepted
    this.#unlisted?.push(...rest)
    const taken = intake(this.#queue.actions, rest, refused, multiple, maxFiles, this.#m)
    this.#refusals = taken.refusals
    if (taken.announcement) this.#announcer.announce(taken.announcement)
    this.#render()
  }

  /** Hides the last refusals; their button is gone, so focus goes back to the picker. */
  #dismiss(): void {
    this.#refusals = []
    this.#render()
    this.#view.input.focus()
  }

  #remove(item: QueueItem): void {
    item.remove()
    // The focused button is gone with its file: back to the picker, not to the page's start.
    this.#view.input.focus()
  }
}

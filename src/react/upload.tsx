import { type CSSProperties, type ReactNode, useId, useMemo, useState } from 'react'
import type { UrlOption } from '../core/index.ts'
import { coreOptions } from '../ui/core-options.ts'
import type { FileRefusal } from '../ui/drop-rules.ts'
import { intake } from '../ui/intake.ts'
import type { InterruptedItem } from '../ui/interrupted-types.ts'
import type { QueueItem, QueueUrl, UploadQueueOptions } from '../ui/queue-types.ts'
import { defaultUploadMessages, type UploadMessages } from '../ui/ui-messages.ts'
import { visuallyHidden } from '../ui/visually-hidden.ts'
import { FileItem } from './file-item.tsx'
import { InterruptedList } from './interrupted-list.tsx'
import { QueueBar } from './queue-bar.tsx'
import { Refusals } from './refusals.tsx'
import { useDefaultStyles } from './styles.ts'
import { useAnnouncer } from './use-announcer.ts'
import { useDropZone } from './use-drop-zone.ts'
import { useInterruptedUploads } from './use-interrupted-uploads.ts'
import { type UploadQueueResult, useUploadQueue } from './use-upload-queue.ts'

/** What a custom body (`children` as a function) gets: the queue, the drag state, the words. */
export interface UploadRenderState extends UploadQueueResult {
  isDragging: boolean
  isDragReject: boolean
  /** Opens the file picker. */
  open: () => void
  /** Files of the last pick, drop or paste that were not taken, and why. */
  refusals: readonly FileRefusal[]
  /** This uploader's interrupted uploads (see `showInterrupted`), for a custom body to list. */
  interrupted: readonly InterruptedItem[]
  messages: UploadMessages
}

export interface UploadProps extends UploadQueueOptions {
  /** As the input's `accept`, and enforced on drops and pastes too. */
  accept?: string | undefined
  /** @default false: one file at a time; a new one replaces it */
  multiple?: boolean | undefined
  disabled?: boolean | undefined
  /** Any subset of the strings; the rest stay English. */
  messages?: Partial<UploadMessages> | undefined
  className?: string | undefined
  style?: CSSProperties | undefined
  id?: string | undefined
  /** The file input's `name`. */
  name?: string | undefined
  /** No default stylesheet and no `partwise` class: style it from the data attributes. */
  unstyled?: boolean | undefined
  /** Set on the default `<style>` element, for a Content-Security-Policy with a style nonce. */
  nonce?: string | undefined
  /** Also take files pasted anywhere in the page (outside text fields). @default false */
  pasteAnywhere?: boolean | undefined
  /**
   * List this uploader's interrupted uploads (a reload, a crash) above the drop zone, each with
   * Continue and Discard; `false` turns the list off (build your own with
   * `useInterruptedUploads`). Only uploads to this uploader's `endpoint` (or `url` string) are
   * listed, and only with resume on.
   * @default true
   */
  showInterrupted?: boolean | undefined
  /**
   * A custom body over the same state, in place of the prompt and the file list; the drop
   * target, the file input and the live region stay.
   */
  children?: ReactNode | ((state: UploadRenderState) => ReactNode)
}

/**
 * The `url` option for a continued upload, which calls it only for a dead stored URL: with no
 * metadata (`beforeUpload` ran when the file was first picked, not on this page).
 */
const keepUrl = (url: QueueUrl): UrlOption =>
  typeof url === 'function' ? (file) => url(file, { metadata: {} }) : url

const flag = (on: boolean): '' | undefined => (on ? '' : undefined)

const UploadIcon = () => (
  <svg
    viewBox="0 0 24 24"
    width="28"
    height="28"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.5"
    aria-hidden="true"
  >
    <path d="M12 16V4m0 0L7 9m5-5 5 5M4 16v4h16v-4" />
  </svg>
)

/**
 * A drop zone and a file list that upload, resumably, to `url`. Files come by drag and drop, by
 * the picker (click, or Enter / Space on the focused input) and by paste. Each file shows its
 * preview, progress, speed, time left and controls; a polite live region announces what happens.
 * State is exposed as `data-*` attributes: data-status, data-dragging, data-drag-reject,
 * data-disabled on the root, data-status on each file.
 */
export function Upload(props: UploadProps) {
  const {
    accept,
    multiple = false,
    disabled = false,
    messages: custom,
    className,
    style,
    id,
    name,
    unstyled = false,
    nonce,
    pasteAnywhere = false,
    showInterrupted = true,
    children,
    ...options
  } = props
  useDefaultStyles(unstyled, nonce)
  const m = useMemo(() => ({ ...defaultUploadMessages, ...custom }), [custom])
  const queue = useUploadQueue(options)
  const { lines, announce } = useAnnouncer(queue.items, m)
  const [refusals, setRefusals] = useState<readonly FileRefusal[]>([])
  const maxFiles = multiple ? options.maxFiles : 1
  const add = (accepted: File[], refused: FileRefusal[]): void => {
    const taken = intake(queue, accepted, refused, multiple, options.maxFiles, m)
    setRefusals(taken.refusals)
    if (taken.announcement) announce(taken.announcement)
  }
  const interrupted = useInterruptedUploads({
    options: coreOptions(options, keepUrl),
    enabled: showInterrupted,
    onContinue: queue.adopt,
    onFiles: (files) => add(files, []),
    onPick: () => zone.open(),
    onAnnounce: announce,
    messages: m,
  })

  const zone = useDropZone({
    accept,
    multiple,
    disabled,
    pasteAnywhere,
    // A file that continues an interrupted upload is taken by the list, not added afresh.
    onFiles: (accepted, refused) => add(interrupted.take(accepted), refused),
  })
  // The focused button is gone (a removed file, a continued upload): back to the picker, not to
  // the page's start.
  const refocus = (): void => zone.inputRef.current?.focus()
  const onRemove = (item: QueueItem): void => {
    item.remove()
    refocus()
  }

  const onDismiss = (): void => {
    setRefusals([])
    refocus()
  }

  const inputId = useId()
  const customBody = children !== undefined
  const hint = m.hint(accept, multiple ? options.maxFiles : undefined)
  const input = (
    <input
      {...zone.getInputProps({
        id: inputId,
        name,
        // A custom body may not render a label: the input must still have a name.
        'aria-label': customBody ? m.prompt(multiple) : undefined,
      })}
    />
  )
  const state: UploadRenderState = {
    ...queue,
    isDragging: zone.isDragging,
    isDragReject: zone.isDragReject,
    open: zone.open,
    refusals,
    interrupted: interrupted.items,
    messages: m,
  }

  return (
    <div
      {...zone.getRootProps({ id, style, className: cx(!unstyled && 'partwise', className) })}
      data-status={queue.status}
      data-dragging={flag(zone.isDragging)}
      data-drag-reject={flag(zone.isDragReject)}
      data-disabled={flag(disabled)}
    >
      {customBody ? (
        <>
          {input}
          {typeof children === 'function' ? children(state) : children}
        </>
      ) : (
        <>
          <InterruptedList
            items={interrupted.items}
            messages={m}
            view={interrupted.view}
            onPressed={refocus}
          />
          <label className="partwise__zone" htmlFor={inputId}>
            {input}
            <UploadIcon />
            <span className="partwise__prompt">
              {zone.isDragging
                ? zone.isDragReject
                  ? m.dragReject
                  : m.dragActive
                : m.prompt(multiple)}
            </span>
            {hint && <span className="partwise__hint">{hint}</span>}
          </label>
          <Refusals refusals={refusals} maxFiles={maxFiles} messages={m} onDismiss={onDismiss} />
          {queue.items.length > 0 && (
            <ul className="partwise__list" aria-label={m.files}>
              {queue.items.map((item) => (
                <FileItem key={item.id} item={item} messages={m} onRemove={onRemove} />
              ))}
            </ul>
          )}
          <QueueBar queue={queue} messages={m} multiple={multiple} onPressed={refocus} />
        </>
      )}
      <div role="status" aria-live="polite" style={visuallyHidden}>
        {lines.map((line) => (
          <p key={line.id}>{line.text}</p>
        ))}
      </div>
    </div>
  )
}

function cx(...names: Array<string | false | undefined>): string | undefined {
  return names.filter(Boolean).join(' ') || undefined
}

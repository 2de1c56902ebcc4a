import {html, nothing, type TemplateResult} from 'lit-html';
import type {UploadEntry} from '../../src/index.js';
import type {Formats} from '../shared/formats.js';
import {progressBar} from '../shared/progress-bar.js';
import type {UploadProgressStrings} from '../shared/strings.js';
import {visibleOr} from '../shared/visible-text.js';

/**
 * A row's state: the server's status, `sending` while the page sends the file, or where its
 * connection stands before the first record.
 */
export type RowStatus =
  'sending' | 'paused' | 'waiting' | 'connecting' | 'uploading' | 'completed' | 'failed';

/** Failure reasons longer than this are clamped to a few lines, with a button to read them whole. */
const LONG_REASON = 120;

/**
 * What only some pages add to rows, set by the module that brings it: the Pause, Resume or
 * Retry button of a file this page sends and what presses it (./row-action.ts). The script tag loads
 * that module with the sending code (components/script-tag/uploading.ts), which is what
 * makes a file's controls: before it, no row has a button to show.
 */
export const rowExtras: {
  action?: (
    entry: UploadEntry,
    status: RowStatus,
    name: string,
    s: UploadProgressStrings,
  ) => TemplateResult | undefined;
  /**
   * Presses a row's button for a click on it, or for Enter (Space too, unless the row has a
   * long reason to open) on the row; says whether it did.
   */
  press?: (event: Event, id: string, more: boolean) => boolean;
} = {};

/** What a row needs besides its upload. */
export interface RowContext {
  s: UploadProgressStrings;
  f: Formats;
}

/**
 * One upload's row: a list item that carries its position and the list's size, so a screen
 * reader says "12 of 10,000" although only the rows in view exist. `tabindex` 0 marks the one
 * row Tab enters the list on (roving focus); `top` places a focused row kept rendered outside
 * the window.
 */
export function row(
  id: string,
  entry: UploadEntry | undefined,
  i: number,
  /** Number of rows in the list (`aria-setsize`). */
  n: number,
  c: RowContext,
  active: boolean,
  open: boolean,
  top: number | null,
): TemplateResult {
  const {s, f} = c;
  const progress = entry?.progress;
  const status: RowStatus =
    progress?.status ??
    (entry?.phase === 'transferring'
      ? entry.paused
        ? 'paused'
        : 'sending'
      : !entry || entry.connection === 'waiting' || entry.connection === 'idle'
        ? 'waiting'
        : 'connecting');
  // A file this page sent: one figure across sending and processing, so it never goes back.
  const value =
    status === 'completed' ? 100 : (entry?.percentage ?? progress?.progress_percentage ?? 0);
  const percent = f.percent(value);
  const word = s[status === 'uploading' ? 'processing' : status];
  // The only two places where text from the server becomes text on screen: the failure
  // reason and the filename, both without the characters that could disguise them
  // (visible-text.ts).
  const why = status === 'failed' ? visibleOr(progress?.error, s.unknownError) : '';
  const line =
    status === 'uploading' || status === 'sending' || status === 'paused'
      ? s.statusPercent(word, percent)
      : why
        ? s.statusReason(word, why)
        : word;
  const name = visibleOr(entry?.filename, id);
  const size = entry?.totalBytes ?? null;
  // "X of Y" is the bytes of the phase the upload is in, never a blend (only the bar blends):
  // the server's once it reported, else those this page sent (an upload tracked by id: none).
  // A failed upload's record says 0 when the server never said (a refused file, a request
  // broken while sent, whose resumable server may keep part): then the size alone.
  const done = progress?.uploaded_bytes ?? entry?.transferredBytes ?? 0;
  const statusId = `status-${i}`;
  const long = why.length > LONG_REASON;
  return html`<div
    role="listitem"
    part="row ${status}"
    class="row"
    tabindex=${active ? 0 : -1}
    aria-posinset=${i + 1}
    aria-setsize=${n}
    style=${top === null ? nothing : `position:absolute;inset-inline:0;top:${top}px`}
  >
    <span part="icon" class="icon" aria-hidden="true"></span>
    <span part="filename" class="name" title=${name}><bdi>${name}</bdi></span>
    <span part="size" class="size"
      >${
        size === null
          ? nothing
          : status === 'failed' && !done
            ? f.bytes(size)
            : s.size(f.bytes(done), f.bytes(size))
      }</span
    >
    ${progressBar(value, name, s.valueText(percent, word), why ? statusId : '', 'bar indicator')}
    <span part="status" class=${long && !open ? 'status clamp' : 'status'} id=${statusId}
      >${line}</span
    >
    ${
      long
        ? html`<button
            part="more"
            class="more"
            type="button"
            tabindex="-1"
            aria-expanded=${open}
            aria-controls=${statusId}
          >
            ${open ? s.less : s.more}
          </button>`
        : nothing
    }
    ${entry && rowExtras.action?.(entry, status, name, s)}
  </div>`;
}

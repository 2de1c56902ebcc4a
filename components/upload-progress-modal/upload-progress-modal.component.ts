import {html, nothing} from 'lit-html';
import {BaseElement, type PropertyValues} from '../shared/base-element.js';
import {
  getUploadProgressManager,
  uploadFiles,
  type UploadFilesOptions,
  type UploadProgressManager,
  type UploadTask,
} from '../../src/index.js';
import {
  ManagerController,
  idsOf,
  uploadIdsConverter,
  type ManagerLike,
  type UploadIds,
} from '../shared/manager-controller.js';
import {warmFormats} from '../shared/formats.js';
import {defaultStrings, type UploadProgressStrings} from '../shared/strings.js';
import {Summarizer, type UploadsSummary} from '../shared/summarize.js';
import styles from './upload-progress-modal.styles.js';

/** Why the modal closed: its close button or `close()`, the Escape key, or the auto-close. */
export type UploadProgressModalCloseReason = 'user' | 'escape' | 'auto';

/** `detail` of the modal's `close` event. */
export interface UploadProgressModalCloseDetail {
  reason: UploadProgressModalCloseReason;
}

/** The events of `<upload-progress-modal>`, for typed `addEventListener`. */
export interface UploadProgressModalEventMap extends HTMLElementEventMap {
  close: CustomEvent<UploadProgressModalCloseDetail>;
}

/** Parts of the inner list, offered as the modal's own. */
const LIST_PARTS =
  'overall,summary,rate,overall-bar,overall-indicator,counts,filter,filter-button,filter-button-active,rows,row,sending,paused,waiting,connecting,uploading,completed,failed,icon,filename,size,status,more,bar,indicator,action,pause,resume,retry';

/** Open modals holding the page still, and the page's own overflow to give back. */
let scrollLocks = 0;
let pageOverflow = '';

/** The focused element, looking into shadow roots. */
function focused(): HTMLElement | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element as HTMLElement | null;
}

/**
 * A modal dialog showing a set of uploads: a native `<dialog>` opened with `showModal()` in
 * the task after a non-empty `uploadIds` is set, so focus moves in, Tab stays inside and the page
 * behind is inert and does not scroll. Escape and the close button close it and focus goes
 * back where it was. Once every upload completed it closes by itself after
 * `auto-close-delay` ms, but never while one failed, and not while the pointer or the
 * keyboard focus is in it (the countdown starts again when they leave).
 *
 * The rows are an `<upload-progress-list>`, whose parts the modal exports.
 *
 * @example
 * <upload-progress-modal></upload-progress-modal>
 * // Sends the files and shows them from the first byte:
 * const ids = await document.querySelector('upload-progress-modal').upload(input.files);
 * // Or, for uploads sent some other way, once the server answered:
 * document.querySelector('upload-progress-modal').uploadIds = upload_ids;
 *
 * @event {CustomEvent<UploadProgressModalCloseDetail>} close - Whenever it closes; bubbles and is composed; `detail.reason` is `'user'`, `'escape'` or `'auto'`.
 *
 * @csspart dialog - The `<dialog>`.
 * @csspart panel - The dialog's content (the area that pauses the auto-close while hovered).
 * @csspart header - The heading and the close button (a div: a `<header>` in the dialog counts
 *   as a second banner landmark beside the page's).
 * @csspart title - The heading.
 * @csspart close-button - The close button.
 * @csspart body - The `<upload-progress-list>`; its parts (`overall`, `counts`, `filter`, `filter-button`, `row`, `filename`, `status`, `bar`…) are exported too.
 *
 * @cssproperty --upload-progress-width - Width of the dialog on larger screens. Default `32rem`.
 * @cssproperty --upload-progress-background - Dialog background. Default `Canvas` (light or dark with the system).
 * @cssproperty --upload-progress-color - Dialog text color. Default `CanvasText`.
 * @cssproperty --upload-progress-backdrop - The backdrop behind the dialog. Default `rgb(0 0 0 / 0.45)`.
 * @cssproperty --upload-progress-dialog-radius - Corner radius of the dialog. Default `0.75rem`.
 * @cssproperty --upload-progress-bar-color - Color of the bars' filled part. Default `#3b82f6`.
 * @cssproperty --upload-progress-track-color - Color of the bars' track.
 * @cssproperty --upload-progress-bar-height - Height of the bars. Default `0.5rem`.
 * @cssproperty --upload-progress-radius - Corner radius of the bars. Default `999px`.
 * @cssproperty --upload-progress-success-color - Completed icon and bar. Default `#16a34a`.
 * @cssproperty --upload-progress-error-color - Failed icon and bar. Default `#dc2626`.
 */
// The interface of the same name below types `addEventListener('close', …)`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class UploadProgressModal extends BaseElement {
  static override styles = styles;

  static override properties = {
    uploadIds: {attribute: 'upload-ids', converter: uploadIdsConverter},
    manager: {attribute: false},
    autoCloseDelay: {type: Number, attribute: 'auto-close-delay'},
    strings: {attribute: false},
    locale: {},
    open: {type: Boolean, reflect: true},
  };

  /**
   * The uploads to show. Setting a non-empty list tracks them and opens the modal; setting
   * `null` or `[]` closes it. Takes what `manager.track()` takes: ids, or
   * `{upload_id, filename, total_bytes}` objects, so the rows show the names before the
   * first record. The `upload-ids` attribute takes ids, whitespace separated.
   */
  uploadIds: UploadIds = null;

  /** The manager to read from (anything with its `track`, `subscribe`, `getSnapshot`). */
  manager: ManagerLike = getUploadProgressManager();

  /** Milliseconds from "all completed" to closing by itself; negative: never. */
  autoCloseDelay = 1500;

  /** Texts, merged over the English defaults (including the close button's name). */
  strings: Partial<UploadProgressStrings> = {};

  /** The locale for numbers and bytes. Default: the document's `lang`, else the browser's. */
  locale?: string;

  /** Whether it is open; reflected, so `upload-progress-modal[open]` can be styled. */
  open = false;

  #ids: string[] = [];
  #summarizer = new Summarizer();
  #view: UploadsSummary | undefined;
  /** Shown and not yet reported closed. */
  #shown: boolean | undefined;
  /**
   * The dialog shows in the task after the one that opens it and the rows in the next: on a
   * cold page `showModal()` lays the page out (10-20 ms) and the list's first render takes
   * ~35 ms, which would otherwise add up with the caller's own work (tracking 10,000 ids,
   * say) into one long task. Settles then.
   */
  #rowsLater: Promise<void> | undefined;
  #rowsReady: boolean | undefined;
  /**
   * showModal() was called and the dialog not closed since: the `close` event of a dialog
   * closed before a quick reopening arrives a task later, while the reopened one is not
   * shown yet, and must not close it.
   */
  #modal = false;
  #opener: HTMLElement | null | undefined;
  #pointer: boolean | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new ManagerController(this);
  }

  /**
   * Sends `files` with `uploadFiles()` through this modal's manager (or `options.manager`,
   * which then becomes its manager) and opens it at once on them: each row shows its file
   * from the first byte, while sending, then while the server processes it. Called again
   * while open, it adds the new files to the rows.
   *
   * @returns the upload: a promise of the server's ids (rejected, for instance with kind
   *   `cancelled`, when files did not reach the server; the rows say so too), with the rows'
   *   `keys`
   * @throws TypeError when the manager cannot track transfers (only ids)
   *
   * @example
   * input.addEventListener('change', () => {
   *   modal.upload(input.files, {path: 'docs'}).catch(() => {}); // errors show in the rows
   * });
   */
  upload(files: Iterable<Blob> | ArrayLike<Blob>, options: UploadFilesOptions = {}): UploadTask {
    const manager = (options.manager ?? this.manager) as Partial<UploadProgressManager>;
    if (typeof manager.trackTransfers !== 'function') {
      throw new TypeError('upload() needs an UploadProgressManager');
    }
    const task = uploadFiles(files, {...options, manager: manager as UploadProgressManager});
    // Files added while it is open join the rows shown; otherwise they replace them.
    const shown = this.open && this.manager === manager ? (this.uploadIds ?? []) : [];
    this.manager = manager as UploadProgressManager;
    this.uploadIds = [...shown, ...task.keys];
    this.open = true;
    return task;
  }

  /** Opens it with the current `uploadIds`. */
  show(): void {
    this.open = true;
  }

  /** Closes it as its close button does (`close` fires with reason `'user'`). */
  close(): void {
    this.#close('user');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Number formats take tens of ms to make the first time: not in the task that opens it.
    warmFormats(this.locale);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close('user');
  }

  protected override willUpdate(changed: PropertyValues): void {
    const ids = this.uploadIds;
    // The list inside tracks them (once: 10,000 ids are worth not tracking twice).
    if (changed.has('uploadIds')) {
      this.#ids = idsOf(ids) ?? [];
      this.open = !!ids?.length;
    }
    this.#view = this.#summarizer.view(this.manager.getSnapshot(), this.#ids);
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (this.open && !this.#shown && this.isConnected) {
      this.#shown = true;
      this.#opener = focused();
      // Each step in a task of its own, unless closed meanwhile (the next opening starts over).
      const later = (then: () => void) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (this.#shown) then();
            resolve();
          }),
        );
      // showModal() lays the page out (10-20 ms on a cold page): not in the caller's task.
      this.#rowsLater = later(() => {
        if (dialog.open) return;
        dialog.showModal();
        this.#modal = true;
        // A static element first: the content is mostly read, and the close button only
        // gets focus when the user moves to it (which then holds the auto-close).
        this.renderRoot.querySelector('h2')!.focus();
      }).then(() =>
        later(() => {
          this.#rowsReady = true;
          this.requestUpdate();
        }),
      );
      if (scrollLocks++ === 0) {
        pageOverflow = document.documentElement.style.overflow;
        document.documentElement.style.overflow = 'hidden';
      }
    } else if (!this.open) {
      this.#close('user');
    }
    this.#sync();
  }

  override render() {
    const s = {...defaultStrings, ...this.strings};
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @cancel=${(event: Event) => {
        event.preventDefault();
        this.#close('escape');
      }}
      @close=${(event: Event) =>
        (event.target as HTMLDialogElement).open || !this.#modal || this.#close('escape')}
      @focusin=${this.#sync}
      @focusout=${this.#sync}
    >
      <div part="panel" class="panel" @pointerenter=${this.#hover} @pointerleave=${this.#hover}>
        <div part="header" class="header">
          <h2 part="title" id="title" class="title" tabindex="-1" autofocus>
            ${this.#view?.allSettled ? s.titleDone : s.title}
          </h2>
          <button
            part="close-button"
            class="close"
            type="button"
            aria-label=${s.close}
            title=${s.close}
            @click=${() => this.#close('user')}
          ></button>
        </div>
        ${
          this.open && this.#rowsReady
            ? html`<upload-progress-list
                part="body"
                class="body"
                exportparts=${LIST_PARTS}
                .uploadIds=${this.uploadIds}
                .manager=${this.manager}
                .strings=${this.strings}
                .locale=${this.locale}
              ></upload-progress-list>`
            : nothing
        }
      </div>
    </dialog>`;
  }

  /** Settles once the rows are rendered too. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.#rowsLater) return done;
    await this.#rowsLater;
    return super.getUpdateComplete();
  }

  #close(reason: UploadProgressModalCloseReason): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#modal = false;
    this.#rowsReady = false;
    this.open = false;
    this.renderRoot.querySelector('dialog')?.close();
    this.#sync();
    if (--scrollLocks === 0) document.documentElement.style.overflow = pageOverflow;
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus({preventScroll: true});
    this.dispatchEvent(new CustomEvent('close', {bubbles: true, composed: true, detail: {reason}}));
  }

  // Listeners are methods: Lit calls them with the element as `this`.
  #hover(event: PointerEvent): void {
    this.#pointer = event.type === 'pointerenter';
    this.#sync();
  }

  /** Runs the auto-close countdown exactly while it may run; restarts it after a pause. */
  #sync(): void {
    const active = (this.renderRoot as ShadowRoot).activeElement;
    const busy = this.#pointer || (active !== null && active.localName !== 'h2');
    if (this.#shown && this.#view?.allCompleted && this.autoCloseDelay >= 0 && !busy) {
      this.#timer ??= setTimeout(() => this.#close('auto'), this.autoCloseDelay);
    } else {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

// Typed listeners: `modal.addEventListener('close', (e) => e.detail.reason)`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface UploadProgressModal {
  addEventListener<K extends keyof UploadProgressModalEventMap>(
    type: K,
    listener: (this: UploadProgressModal, event: UploadProgressModalEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof UploadProgressModalEventMap>(
    type: K,
    listener: (this: UploadProgressModal, event: UploadProgressModalEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

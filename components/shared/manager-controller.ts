import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {TrackedUpload, UploadProgressManager} from '../../src/index.js';

/** What the elements need of a manager: an {@link UploadProgressManager} or anything shaped like one. */
export type ManagerLike = Pick<UploadProgressManager, 'track' | 'subscribe' | 'getSnapshot'>;

/** Hidden pages get no animation frames; they still get an update this often (ms). */
const HIDDEN_INTERVAL = 50;

/**
 * Keeps its host subscribed to the host's `manager` while connected, and asks for at most
 * one update per animation frame however often the manager reports: a thousand streams
 * must not mean a thousand renders. The host reads `manager.getSnapshot()` when it updates.
 */
export class ManagerController implements ReactiveController {
  readonly #host: ReactiveControllerHost & {manager: ManagerLike};
  #manager: ManagerLike | undefined;
  #unsubscribe: (() => void) | undefined;
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & {manager: ManagerLike}) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#subscribe();
    // The snapshot may have moved on while the host was out of the document.
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    if (this.#unsubscribe && this.#host.manager !== this.#manager) this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#cancel();
  }

  #subscribe(): void {
    this.hostDisconnected();
    let initial = true;
    this.#manager = this.#host.manager;
    this.#unsubscribe = this.#manager.subscribe(() => {
      if (initial || this.#timer !== undefined) return;
      const run = () => {
        this.#cancel();
        this.#host.requestUpdate();
      };
      this.#frame = requestAnimationFrame(run);
      // A page in the background gets no frames, yet its modal must still close and its
      // milestones still be announced.
      this.#timer = setTimeout(run, HIDDEN_INTERVAL);
    });
    initial = false;
  }

  #cancel(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * What the elements' `uploadIds` take: what `manager.track()` takes (ids, or
 * `{upload_id, filename, total_bytes}` objects, so rows show names before the first record),
 * or `null`.
 */
export type UploadIds = readonly TrackedUpload[] | null;

/** The ids of {@link UploadIds}, each once, in order. */
export const idsOf = (uploads: UploadIds): string[] | null =>
  uploads && [...new Set(uploads.map((u) => (typeof u === 'string' ? u : u.upload_id)))];

/** `upload-ids="a b c"` → `['a', 'b', 'c']`. */
export const uploadIdsConverter = {
  fromAttribute: (value: string | null): string[] | null =>
    value === null ? null : value.split(/\s+/).filter(Boolean),
};

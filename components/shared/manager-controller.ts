import type {ReactiveController, ReactiveControllerHost} from './base-element.js';
import type {TrackedUpload, UploadProgressManager} from '../../src/index.js';

/** What the elements need of a manager: an {@link UploadProgressManager} or anything shaped like one. */
export type ManagerLike = Pick<UploadProgressManager, 'track' | 'subscribe' | 'getSnapshot'>;

/** Hidden pages get no animation frames; they still get an update this often (ms). */
const HIDDEN_INTERVAL = 50;
/** Reads with no change before going back to listening. */
const IDLE_READS = 30;

/**
 * Keeps its host up to date with the host's `manager` while connected, with at most one
 * update per animation frame however often the manager reports: a thousand streams must
 * not mean a thousand renders. The host reads `manager.getSnapshot()` when it updates.
 *
 * While nothing moves it listens (`subscribe`); at the first change it stops listening and
 * reads the snapshot once a frame instead, until all settled or nothing has changed for half
 * a second. A listener makes the manager build a snapshot after every task that changed
 * something (at 1,000 streams, thousands a second, most of the main thread); reading once a
 * frame builds one a frame.
 */
export class ManagerController implements ReactiveController {
  readonly #host: ReactiveControllerHost & {manager: ManagerLike};
  #manager: ManagerLike | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected: boolean | undefined;
  #last: unknown;
  #still!: number;
  // Unset until the first frame is asked for: cancelAnimationFrame(undefined) does nothing.
  #frame!: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & {manager: ManagerLike}) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#listen();
    // The snapshot may have moved on while the host was out of the document.
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    if (this.#connected && this.#host.manager !== this.#manager) this.#listen();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop();
  }

  #listen(): void {
    this.#stop();
    const manager = (this.#manager = this.#host.manager);
    let initial = true;
    this.#unsubscribe = manager.subscribe(() => initial || this.#read());
    initial = false;
    // A change between the last read and listening again.
    if (this.#last && manager.getSnapshot() !== this.#last) this.#read();
  }

  /** Reads once a frame from now on. */
  #read(): void {
    this.#stop();
    // The first frame's read then counts as a change (and resets the count of still reads).
    this.#last = undefined;
    this.#next();
  }

  #next(): void {
    const run = () => {
      // The other of the frame and the timer (nothing listens while reading).
      this.#stop();
      const snapshot = this.#manager!.getSnapshot();
      if (snapshot !== this.#last) {
        this.#last = snapshot;
        this.#still = 0;
        this.#host.requestUpdate();
      }
      // Settled or empty: nothing moves until something new is tracked, which a listener
      // hears; no timer is left running at rest.
      if (snapshot.allSettled || !snapshot.total || ++this.#still > IDLE_READS) this.#listen();
      else this.#next();
    };
    this.#frame = requestAnimationFrame(run);
    // A page in the background gets no frames, yet its modal must still close and its
    // milestones still be announced.
    this.#timer = setTimeout(run, HIDDEN_INTERVAL);
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
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

import type {EventSourceMessage} from 'eventsource-parser';
import {UploadProgressError} from '../errors.js';
import {failedProgress, readProgress} from './normalize-progress.js';
import {
  refuseId,
  resolveOptions,
  type AdvancedOptions,
  type ResolvedOptions,
} from './resolve-options.js';
import {STOPPED} from '../transport/sse-connection.js';
import {followEventStream, type FollowTarget} from './follow-event-stream.js';
import type {ConnectionState, ProgressOptions, UploadProgress} from '../types.js';

/** Options of {@link UploadProgressStream}. */
export interface UploadProgressStreamOptions extends ProgressOptions, AdvancedOptions {
  /** What is known before the first record: shown in a failed record if none ever arrives. */
  known?: {filename?: string | undefined; total_bytes?: number | undefined};
  /**
   * Called on every change of `state`, as `statechange` is, without building an event: the
   * manager's hook (an event per change of 10,000 streams, ~40,000 events, was a cost of its own).
   * @internal
   */
  onState?: ((state: ConnectionState) => void) | undefined;
  /**
   * Called on every new record, before the listeners, as a listener would be but without the
   * listener plumbing per event (a third of what the manager cost per event). The manager's.
   * @internal
   */
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

/** Events of {@link UploadProgressStream}, with their `detail`. */
export interface UploadProgressStreamEventMap {
  /** The record changed (including to its terminal state). */
  progress: CustomEvent<{progress: UploadProgress}>;
  /** The upload completed. */
  completed: CustomEvent<{progress: UploadProgress}>;
  /** The upload failed: the server said so (`error` null) or the transport failed for good. */
  failed: CustomEvent<{progress: UploadProgress; error: UploadProgressError | null}>;
  /** Anything that went wrong, including what was retried or skipped. */
  error: CustomEvent<{error: UploadProgressError}>;
  /** The connection state changed. */
  statechange: CustomEvent<{state: ConnectionState}>;
}

type Listener = (progress: UploadProgress | null) => void;

/**
 * The progress of one upload, read from the server's event stream.
 *
 * It connects on its own (in a microtask, so listeners added right after construction miss
 * nothing), reconnects with backoff when the connection drops, and always ends in a
 * terminal record, `completed` or `failed`, after which it holds no connection.
 *
 * It is a store (`subscribe`/`getSnapshot`, so also a Svelte store and a fit for React's
 * `useSyncExternalStore`) and an `EventTarget` (see {@link UploadProgressStreamEventMap}).
 *
 * @example
 * const stream = new UploadProgressStream(uploadId, {headers: () => ({Authorization: token()})});
 * const stop = stream.subscribe((progress) => {
 *   if (progress) console.log(`${progress.filename}: ${progress.progress_percentage}%`);
 * });
 * stream.addEventListener('failed', (event) => alert(event.detail.progress.error));
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- typed events, see below
export class UploadProgressStream extends EventTarget {
  /** The upload this stream follows. */
  readonly uploadId: string;

  readonly #options: ResolvedOptions;
  readonly #known: UploadProgressStreamOptions['known'];
  readonly #onState: UploadProgressStreamOptions['onState'];
  readonly #onProgress: UploadProgressStreamOptions['onProgress'];
  readonly #url: string;
  /** Why the id is never requested, if it is not. */
  readonly #refused: string | undefined;
  readonly #listeners = new Set<Listener>();
  readonly #listenedTypes = new Set<string>();
  /** Aborted by `close()`: ends reading, sleeping and waiting at once. */
  readonly #closer = new AbortController();
  #progress: UploadProgress | null = null;
  #state: ConnectionState = 'idle';
  #error: UploadProgressError | null = null;
  /** What followEventStream serves (it keeps the last event id there). */
  #target: FollowTarget | undefined;
  #attempts = 0;
  #closed = false;
  #onSignalAbort: (() => void) | undefined;

  /**
   * @param uploadId - an id from the server's `upload_ids`; an empty or dot-segment id
   *   (`.`, `..`, `%2e`…) is never requested: the stream ends `failed` (kind `invalid-id`)
   * @throws TypeError for an id that is not a string; RangeError for options that cannot work
   */
  constructor(uploadId: string, options: UploadProgressStreamOptions = {}) {
    super();
    if (typeof uploadId !== 'string') {
      throw new TypeError(`uploadId must be a string, got ${JSON.stringify(uploadId)}.`);
    }
    this.uploadId = uploadId;
    this.#options = resolveOptions(options);
    this.#known = options.known;
    this.#onState = options.onState;
    this.#onProgress = options.onProgress;
    this.#refused = refuseId(uploadId);
    this.#url = this.#refused ? '' : this.#options.urlFor(uploadId);
    const {signal} = this.#options;
    if (signal) {
      if (signal.aborted) {
        this.close();
        return;
      }
      this.#onSignalAbort = () => this.close();
      signal.addEventListener('abort', this.#onSignalAbort, {once: true});
    }
    queueMicrotask(() => void this.#run());
  }

  /** Where the connection stands. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The last error seen (transient or final), or `null`. */
  get error(): UploadProgressError | null {
    return this.#error;
  }

  /** The id of the last event the server sent with an `id:` field. */
  get lastEventId(): string | undefined {
    return this.#target?.lastEventId;
  }

  /** True once a terminal record is in, or after `close()`. */
  get closed(): boolean {
    return this.#closed || this.#state === 'closed';
  }

  /**
   * Calls `listener` at once with the current record (`null` before the first), then on
   * every change. Nothing is called after `close()`.
   * @returns a function that unsubscribes
   */
  subscribe(listener: Listener): () => void {
    if (!this.#closed) this.#listeners.add(listener);
    listener(this.#progress);
    return () => void this.#listeners.delete(listener);
  }

  /** The current record: the same object until something changes. */
  getSnapshot(): UploadProgress | null {
    return this.#progress;
  }

  /** Stops at once: aborts the request, cancels the body, clears timers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closer.abort(STOPPED);
    this.#finish();
    // Set here: #setState tells nobody once closed.
    this.#state = 'closed';
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    // Events are only built for types someone listens to: the hot path stays cheap.
    this.#listenedTypes.add(type);
    super.addEventListener(type, listener, options);
  }

  async #run(): Promise<void> {
    if (this.#refused) {
      const error = new UploadProgressError('invalid-id', this.#refused, {uploadId: this.uploadId});
      this.#report(error);
      return this.#fail(error);
    }
    const end = await followEventStream(
      (this.#target = {
        options: this.#options,
        closed: this.#closer.signal,
        uploadId: this.uploadId,
        url: () => this.#url,
        state: (state) => {
          if (state === 'connecting') this.#attempts++;
          this.#setState(state);
        },
        event: (event) => this.#handleEvent(event),
        settled: () => this.#isSettled(),
        report: (error) => this.#report(error),
      }),
    );
    if (end.kind === 'settled') this.#finish();
    else if (end.kind === 'failed') this.#fail(end.error);
  }

  /** Takes one event; true when it was a valid record of this upload (changed or not). */
  #handleEvent(event: EventSourceMessage): boolean {
    if (this.#closed || this.#isSettled()) return false;
    // Named `progress` events (the seed) and unnamed ones (`message`) carry records.
    if (event.event !== undefined && event.event !== 'progress' && event.event !== 'message') {
      return false;
    }
    const next = readProgress(event.data, this.uploadId, this.#progress);
    if ('reason' in next) {
      this.#report(
        new UploadProgressError(
          next.foreign ? 'foreign-event' : 'malformed-event',
          `Skipped an event: ${next.reason}.`,
          {uploadId: this.uploadId, attempt: this.#attempts, data: event.data.slice(0, 200)},
        ),
      );
      return false;
    }
    if (next !== this.#progress) this.#setProgress(next, null);
    return true;
  }

  #isSettled(): boolean {
    return this.#progress !== null && this.#progress.status !== 'uploading';
  }

  /** Ends `failed`, for the reason the error gives. */
  #fail(error: UploadProgressError): void {
    this.#setProgress(
      failedProgress(this.#progress, this.uploadId, error.message, this.#known),
      error,
    );
    this.#finish();
  }

  #finish(): void {
    this.#setState('closed');
    this.#listeners.clear();
    if (this.#onSignalAbort)
      this.#options.signal?.removeEventListener('abort', this.#onSignalAbort);
  }

  #setProgress(progress: UploadProgress, error: UploadProgressError | null): void {
    this.#progress = progress;
    if (!this.#closed) this.#onProgress?.(progress);
    for (const listener of this.#listeners) {
      if (this.#closed) return;
      callSafely(listener, progress);
    }
    // No event (nor its detail) built for types nobody listens to: the usual case, per record.
    if (this.#closed || this.#listenedTypes.size === 0) return;
    this.#emit('progress', {progress});
    if (progress.status === 'completed') this.#emit('completed', {progress});
    else if (progress.status === 'failed') this.#emit('failed', {progress, error});
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state || this.#closed) return;
    this.#state = state;
    this.#onState?.(state);
    this.#emit('statechange', {state});
  }

  #report(error: UploadProgressError): void {
    this.#error = error;
    this.#emit('error', {error});
  }

  #emit<K extends keyof UploadProgressStreamEventMap>(
    type: K,
    detail: UploadProgressStreamEventMap[K]['detail'],
  ): void {
    if (this.#closed || !this.#listenedTypes.has(type)) return;
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }
}

// Typed addEventListener for users, by declaration merging (the pattern lib.dom uses).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface UploadProgressStream {
  addEventListener<K extends keyof UploadProgressStreamEventMap>(
    type: K,
    listener: (this: UploadProgressStream, event: UploadProgressStreamEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  // The untyped overload, spelled out: without it the emitted .d.ts keeps only the typed one
  // and fails a consumer's `skipLibCheck: false` (TS2415, not assignable to EventTarget's).
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof UploadProgressStreamEventMap>(
    type: K,
    listener: (this: UploadProgressStream, event: UploadProgressStreamEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/** A listener that throws must not stop the others, nor the stream. */
export function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    if (typeof reportError === 'function') reportError(error);
    else
      queueMicrotask(() => {
        throw error;
      });
  }
}

import type {EventSourceMessage} from 'eventsource-parser';
import {shown, UploadProgressError} from '../errors.js';
import {failedProgress, readProgress} from './normalize-progress.js';
import {
  refuseId,
  resolveOptions,
  type AdvancedOptions,
  type ResolvedOptions,
} from './resolve-options.js';
import {followEventStream, type Closing, type FollowTarget} from './follow-event-stream.js';
import type {ConnectionState, ProgressOptions, UploadProgress} from '../types.js';

/** Options of {@link UploadProgressStream}. */
export interface UploadProgressStreamOptions extends ProgressOptions, AdvancedOptions {
  /** What is known before the first record: shown in a failed record if none ever arrives. */
  known?: {filename?: string | undefined; total_bytes?: number | undefined};
  /**
   * Told of every change of `state` and every new record (before the listeners), as
   * `statechange` and a listener would be but without building events or the listener
   * plumbing per record: the manager's hook, one object for all its streams.
   * @internal
   */
  observer?: StreamObserver | undefined;
  /**
   * The options resolved already (the manager's, shared by its streams): the other options
   * but `known` and `observer` are then not read (`signal` neither: the owner closes it).
   * @internal
   */
  resolved?: ResolvedOptions | undefined;
}

/** What a stream tells its owner (see `observer`). @internal */
export interface StreamObserver {
  state(stream: UploadProgressStream, state: ConnectionState): void;
  progress(stream: UploadProgressStream, progress: UploadProgress): void;
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
  readonly #observer: StreamObserver | undefined;
  /** Asked of `progressUrl` as following starts. */
  #url = '';
  /** Why the id is never requested, if it is not. */
  readonly #refused: string | undefined;
  /** Made on the first `subscribe()`/`addEventListener()` (the manager's streams have none). */
  #listeners: Set<Listener> | undefined;
  #listenedTypes: Set<string> | undefined;
  #progress: UploadProgress | null = null;
  #state: ConnectionState = 'idle';
  #error: UploadProgressError | null = null;
  /** What followEventStream serves: it keeps the last event id, and `close()` aborts it. */
  readonly #target: FollowTarget & {abort(): void};
  #attempts = 0;
  #closed = false;
  #signal: AbortSignal | undefined;
  #onSignalAbort: (() => void) | undefined;

  /**
   * @param uploadId - an id from the server's `upload_ids`; an empty or dot-segment id
   *   (`.`, `..`, `%2e`…) is never requested: the stream ends `failed` (kind `invalid-id`)
   * @throws TypeError for an id that is not a string; RangeError for options that cannot work
   */
  constructor(uploadId: string, options: UploadProgressStreamOptions = {}) {
    super();
    if (typeof uploadId !== 'string') {
      throw new TypeError(`uploadId must be a string, got ${shown(uploadId)}.`);
    }
    this.uploadId = uploadId;
    this.#options = options.resolved ?? resolveOptions(options);
    this.#known = options.known;
    this.#observer = options.observer;
    this.#refused = refuseId(uploadId);
    this.#target = new UploadProgressStream.#Follower(this);
    const signal = options.resolved ? undefined : options.signal;
    if (signal) {
      if (signal.aborted) {
        this.close();
        return;
      }
      this.#signal = signal;
      this.#onSignalAbort = () => this.close();
      signal.addEventListener('abort', this.#onSignalAbort, {once: true});
    }
    queueMicrotask(() => this.#run());
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
    return this.#target.lastEventId;
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
    if (!this.#closed) (this.#listeners ??= new Set()).add(listener);
    listener(this.#progress);
    return () => void this.#listeners?.delete(listener);
  }

  /** The current record: the same object until something changes. */
  getSnapshot(): UploadProgress | null {
    return this.#progress;
  }

  /** Stops at once: aborts the request, cancels the body, clears timers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#target.abort();
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
    (this.#listenedTypes ??= new Set()).add(type);
    super.addEventListener(type, listener, options);
  }

  #run(): void {
    if (this.#closed) return;
    const uploadId = this.uploadId;
    let error: UploadProgressError | undefined;
    if (this.#refused) error = new UploadProgressError('invalid-id', this.#refused, {uploadId});
    else {
      // A progressUrl function that throws for one id fails that upload, not the caller (a
      // manager starting a hundred in one go) nor the others.
      try {
        this.#url = this.#options.urlFor(uploadId);
      } catch (cause) {
        error = new UploadProgressError('invalid-options', `progressUrl threw: ${cause}`, {
          uploadId,
          cause,
        });
      }
    }
    if (error) {
      this.#report(error);
      return this.#fail(error);
    }
    void followEventStream(this.#target).then((end) => {
      if (end.kind === 'settled') this.#finish();
      else if (end.kind === 'failed') this.#fail(end.error);
    });
  }

  /**
   * What followEventStream serves for a stream, and what `close()` aborts: one object, its
   * methods on a prototype (seven closures and an AbortController a stream, before). A class
   * of the class's own, to reach its private members.
   */
  static readonly #Follower = class Follower implements FollowTarget, Closing {
    readonly stream: UploadProgressStream;
    readonly options: ResolvedOptions;
    readonly uploadId: string;
    lastEventId: string | undefined;
    aborted = false;
    onabort: (() => void) | null = null;

    constructor(stream: UploadProgressStream) {
      this.stream = stream;
      this.options = stream.#options;
      this.uploadId = stream.uploadId;
    }

    get closed(): Closing {
      return this;
    }

    url(): string {
      return this.stream.#url;
    }

    state(state: ConnectionState): void {
      if (state === 'connecting') this.stream.#attempts++;
      this.stream.#setState(state);
    }

    event(event: EventSourceMessage): boolean {
      return this.stream.#handleEvent(event);
    }

    settled(): boolean {
      return this.stream.#isSettled();
    }

    report(error: UploadProgressError): void {
      this.stream.#report(error);
    }

    abort(): void {
      this.aborted = true;
      this.onabort?.();
    }
  };

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
    this.#listeners = undefined;
    if (this.#onSignalAbort) this.#signal?.removeEventListener('abort', this.#onSignalAbort);
  }

  #setProgress(progress: UploadProgress, error: UploadProgressError | null): void {
    this.#progress = progress;
    if (this.#closed) return;
    this.#observer?.progress(this, progress);
    if (this.#listeners) {
      for (const listener of this.#listeners) {
        if (this.#closed) return;
        callSafely(listener, progress);
      }
    }
    // No event (nor its detail) built for types nobody listens to: the usual case, per record.
    if (this.#closed || !this.#listenedTypes) return;
    this.#emit('progress', {progress});
    if (progress.status === 'completed') this.#emit('completed', {progress});
    else if (progress.status === 'failed') this.#emit('failed', {progress, error});
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state || this.#closed) return;
    this.#state = state;
    this.#observer?.state(this, state);
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
    if (this.#closed || !this.#listenedTypes?.has(type)) return;
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

import {originOf} from '../budget/connection-budget.js';
import {defaultMaxConnections} from '../budget/default-connections.js';
import {refuseId, type ResolvedOptions} from '../stream/resolve-options.js';
import {
  UploadProgressStream,
  type StreamObserver,
  type UploadProgressStreamOptions,
} from '../stream/upload-progress-stream.js';
import type {ConnectionState, UploadProgress} from '../types.js';
import {MultiplexedBatch, type Known} from './multiplexed-batch.js';

/**
 * Followings started in one task at most, and the time they may take: with a large
 * `maxConnections`, starting thousands of streams at once would block the page (each costs
 * ~0.1-0.2 ms warm, and the first hundred of a cold page ~60 ms together, compiling the
 * reading path); the rest start in the next tasks.
 */
const STARTS_PER_TASK = 100;
const MS_PER_TASK = 10;

/**
 * Runs `run` in a task of its own: through `scheduler.postTask` where there is one (Chromium,
 * Firefox), since browsers hold each link of a chain of `setTimeout(0)` past the fifth for
 * 4 ms at least (starting 10,000 followings 100 a task spent 100-200 ms idle so); through the
 * timer where there is none (Safari, Node), or where a page's own `scheduler` throws.
 */
function inTask(run: () => void): void {
  try {
    (globalThis as unknown as {scheduler: {postTask(run: () => void): unknown}}).scheduler.postTask(
      run,
    );
  } catch {
    setTimeout(run, 0);
  }
}

/**
 * The longest URL a multiplexed request may have. Servers and proxies commonly refuse
 * request lines past 8 KB (nginx's default buffer, Node's header limit 16 KB in all), some
 * CDNs past 4 KB or less: staying under 4 KB keeps every hop happy.
 */
const MAX_MULTIPLEXED_URL = 4000;

/**
 * Takes ids from the front of `queue` for one request, as many as keep its URL (`multiplexedUrl`
 * in src/transport/multiplexed-connection.ts: `base?ids=a,b`, ids URL-encoded) under
 * {@link MAX_MULTIPLEXED_URL} characters, a relative `base` counted with the page's origin;
 * always at least one, so an id longer than that still gets a request of its own. Here, not
 * beside `multiplexedUrl`, so the script tag loads that module late with the batch.
 */
function takeBatch(base: string, queue: Iterable<string>): string[] {
  const origin = (globalThis as {location?: {origin?: string}}).location?.origin ?? '';
  let length = base.length + (base.startsWith('/') ? origin.length : 0) + 5;
  const batch: string[] = [];
  for (const id of queue) {
    length += encodeURIComponent(id).length + 1;
    if (batch.length > 0 && length > MAX_MULTIPLEXED_URL) break;
    batch.push(id);
  }
  return batch;
}

/**
 * An upload's progress URL, for its origin's default window: `''` for an id never requested
 * (refused, or a progressUrl that throws for it: its stream fails it with a typed error).
 */
function urlOf(resolved: ResolvedOptions, id: string): string {
  try {
    return refuseId(id) ? '' : resolved.urlFor(id);
  } catch {
    return '';
  }
}

/** What the queue tells the manager. */
export interface FollowSink {
  /** What is known of an upload as its following starts. */
  known(id: string): Known;
  /** A new record (or `null`: only the connection state changed) for one upload. */
  update(id: string, progress: UploadProgress | null, state: ConnectionState): void;
}

/**
 * Decides when each tracked upload starts being followed, so that tracking thousands
 * costs what tracking a few does: uploads wait here (shown as `waiting`) and start only
 * while fewer than `maxConnections` of the manager's connections are under way (or waiting
 * for a slot of the budget, which is fair across managers and tabs). A connection in its
 * backoff gives its place to the next one meanwhile.
 *
 * With `multiplexUrl`, a start follows a batch of uploads over one connection (as many as
 * fit in one URL); when the server has no such endpoint, the queue falls back to one
 * stream per upload for good.
 */
export class FollowQueue {
  #queue = new Set<string>();
  /** The uploads followed one stream each. */
  readonly #streams = new Map<string, UploadProgressStream>();
  /** Those of `#streams` that hold no place in the window (in backoff, or closed). */
  readonly #resting = new Set<string>();
  /** What every stream of the queue tells: one object, no closures per stream. */
  readonly #observer: StreamObserver;
  readonly #batches = new Map<string, MultiplexedBatch>();
  #running = 0;
  /** A task is posted to start the next ones (after `clear()` it finds nothing to start). */
  #posted = false;
  #multiplexUrl: string | undefined;
  readonly #resolved: ResolvedOptions;
  readonly #sink: FollowSink;

  constructor(
    options: {multiplexUrl?: string | undefined},
    resolved: ResolvedOptions,
    sink: FollowSink,
  ) {
    this.#multiplexUrl = options.multiplexUrl;
    this.#resolved = resolved;
    this.#sink = sink;
    this.#observer = {
      state: (stream, state) => {
        const id = stream.uploadId;
        // Nothing from a stream stopped already (settled, untracked or cleared).
        if (this.#streams.get(id) !== stream) return;
        sink.update(id, null, state);
        if (this.#streams.get(id) !== stream) return;
        const counted = state !== 'retrying' && state !== 'closed';
        if (counted !== this.#resting.has(id)) return;
        if (counted) {
          this.#resting.delete(id);
          this.#running++;
        } else {
          this.#resting.add(id);
          this.#freed();
        }
      },
      progress: (stream, progress) => {
        const id = stream.uploadId;
        if (this.#streams.get(id) === stream) sink.update(id, progress, stream.state);
      },
    };
  }

  /**
   * Queues uploads to follow, in order (the caller shows them as `waiting`). They start in
   * a task of their own: ids added one by one in a loop (files attached as a POST answers)
   * still share a multiplexed batch, and the first starts (a cold page compiles the whole
   * reading path then) stay out of the task that tracked them, which often opens a modal too.
   */
  add(ids: Iterable<string>): void {
    for (const id of ids) this.#queue.add(id);
    this.#post();
  }

  /** The stream of an upload followed on its own, if it started. */
  stream(id: string): UploadProgressStream | undefined {
    return this.#streams.get(id);
  }

  /** Stops following one upload: settled, or untracked. */
  remove(id: string): void {
    if (this.#queue.delete(id)) return;
    const stream = this.#streams.get(id);
    if (stream) {
      // Out of the map first: what the stream tells as it closes is not heard.
      this.#streams.delete(id);
      stream.close();
      if (!this.#resting.delete(id)) this.#freed();
      return;
    }
    const batch = this.#batches.get(id);
    this.#batches.delete(id);
    if (batch?.remove(id)) this.#freed();
  }

  /** Stops everything. */
  clear(): void {
    this.#queue.clear();
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    this.#resting.clear();
    for (const stream of streams) stream.close();
    for (const batch of this.#batches.values()) batch.close();
    this.#batches.clear();
    this.#running = 0;
  }

  #freed(): void {
    this.#running--;
    this.#fill();
  }

  /** Starts more in a task of their own. */
  #post(): void {
    if (this.#posted) return;
    this.#posted = true;
    inTask(() => {
      this.#posted = false;
      this.#fill();
    });
  }

  /** Starts followings while the window has room. */
  #fill(): void {
    let started = 0;
    const until = performance.now() + MS_PER_TASK;
    for (const first of this.#queue) {
      if (started++ === STARTS_PER_TASK || (started > 1 && performance.now() > until)) {
        return this.#post();
      }
      const base = this.#multiplexUrl;
      // A refused id (empty, a dot segment) is never put in a URL, not even to find its origin.
      const url = base ?? urlOf(this.#resolved, first);
      const window = this.#resolved.maxConnections ?? defaultMaxConnections(originOf(url));
      if (this.#running >= window) return;
      this.#running++;
      if (base) this.#startBatch(base);
      else this.#start(first);
    }
  }

  #start(id: string): void {
    this.#queue.delete(id);
    const options: UploadProgressStreamOptions = {
      resolved: this.#resolved,
      known: this.#sink.known(id),
      observer: this.#observer,
    };
    this.#streams.set(id, new UploadProgressStream(id, options));
  }

  #startBatch(base: string): void {
    const ids = takeBatch(base, this.#queue);
    const batch = new MultiplexedBatch(
      base,
      ids.map((id) => [id, this.#sink.known(id)]),
      this.#resolved,
      {
        progress: (id, progress) => {
          if (progress.status !== 'uploading') this.#batches.delete(id);
          this.#sink.update(id, progress, progress.status === 'uploading' ? 'open' : 'closed');
        },
        state: (members, state) => {
          for (const id of members) this.#sink.update(id, null, state);
        },
        done: (unsupported) => {
          for (const id of unsupported) this.#batches.delete(id);
          if (unsupported.length > 0) {
            // The server has no multiplexed endpoint: one stream per upload from now on,
            // these first.
            this.#multiplexUrl = undefined;
            this.#queue = new Set([...unsupported, ...this.#queue]);
          }
          this.#freed();
        },
      },
    );
    for (const id of ids) {
      this.#queue.delete(id);
      this.#batches.set(id, batch);
    }
  }
}

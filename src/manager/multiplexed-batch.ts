import type {EventSourceMessage} from 'eventsource-parser';
import {followEventStream} from '../stream/follow-event-stream.js';
import {failedProgress, readProgress} from '../stream/normalize-progress.js';
import type {ResolvedOptions} from '../stream/resolve-options.js';
import {
  multiplexedUrl,
  NO_MULTIPLEX_STATUSES,
  routeOf,
} from '../transport/multiplexed-connection.js';
import {STOPPED} from '../transport/sse-connection.js';
import type {ConnectionState, UploadProgress} from '../types.js';

/** What a batch reports to whoever follows its uploads. */
export interface BatchSink {
  /** A changed record of one upload (its terminal one included). */
  progress(id: string, progress: UploadProgress): void;
  /** The connection's state, for every upload of the batch still in flight. */
  state(ids: Iterable<string>, state: ConnectionState): void;
  /**
   * The batch is over and its slot free: every upload settled, or the server has no
   * multiplexed endpoint and `unsupported` (the ids still in flight) must be followed one
   * by one. Not called after `close()`.
   */
  done(unsupported: string[]): void;
}

/** What is known of an upload before its first record, for a failed record. */
export type Known = {filename?: string | undefined; total_bytes?: number | undefined};

interface Member {
  progress: UploadProgress | null;
  known: Known;
}

/**
 * Many uploads followed over one connection (`GET <multiplexUrl>?ids=a,b,c`), with every
 * promise of a single stream: one connection slot of the budget, records routed by
 * `upload_id` and merged so that progress never goes back, `event: missing` ending an
 * upload failed with the server's word, reconnection with backoff and `Last-Event-ID`
 * (asking only for the uploads still in flight), and a terminal record for every upload.
 */
export class MultiplexedBatch {
  readonly #members = new Map<string, Member>();
  readonly #base: string;
  readonly #options: ResolvedOptions;
  readonly #sink: BatchSink;
  readonly #closer = new AbortController();

  constructor(
    base: string,
    uploads: Iterable<[string, Known]>,
    options: ResolvedOptions,
    sink: BatchSink,
  ) {
    for (const [id, known] of uploads) this.#members.set(id, {progress: null, known});
    this.#base = base;
    this.#options = options;
    this.#sink = sink;
    queueMicrotask(() => void this.#run());
  }

  /**
   * Stops following one upload (untracked).
   * @returns true when it was the last one, and the batch closed
   */
  remove(id: string): boolean {
    if (!this.#members.delete(id) || this.#members.size > 0) return false;
    this.close();
    return true;
  }

  /** Stops at once: nothing is reported after it. Idempotent. */
  close(): void {
    this.#closer.abort(STOPPED);
  }

  async #run(): Promise<void> {
    const [first = ''] = this.#members.keys();
    const end = await followEventStream({
      options: this.#options,
      closed: this.#closer.signal,
      uploadId: first,
      // Only the uploads still in flight are asked for again.
      url: () => multiplexedUrl(this.#base, this.#members.keys()),
      state: (state) => this.#state(state),
      event: (event) => this.#handle(event) !== undefined,
      settled: () => this.#members.size === 0,
      // A server without the endpoint (501 included, which is otherwise retried).
      ends: (error) => error.status !== undefined && NO_MULTIPLEX_STATUSES.has(error.status),
    });
    if (end.kind === 'settled') this.#sink.done([]);
    else if (end.kind === 'failed') {
      const {error} = end;
      // A server without the endpoint: its uploads are followed one by one.
      if (error.status !== undefined && NO_MULTIPLEX_STATUSES.has(error.status)) {
        this.#sink.done([...this.#members.keys()]);
      } else this.#failAll(error.message);
    }
  }

  /** @returns true: a record changed; false: one of ours, nothing new; undefined: skipped */
  #handle(event: EventSourceMessage): boolean | undefined {
    const type = event.event ?? 'message';
    if (type !== 'progress' && type !== 'message' && type !== 'missing') return undefined;
    const route = routeOf(event.data);
    const member = route && this.#members.get(route.id);
    if (!member) return undefined;
    const id = route.id;
    let next: UploadProgress;
    if (type === 'missing') {
      const said = route.said ? ` The server said: "${route.said}".` : '';
      next = failedProgress(
        member.progress,
        id,
        `The server does not know this upload: the id is wrong, or its session expired.${said}`,
        member.known,
      );
    } else {
      const read = readProgress(event.data, id, member.progress);
      if ('reason' in read) return undefined;
      next = read;
    }
    if (next === member.progress) return false;
    this.#settle(id, member, next);
    return true;
  }

  #settle(id: string, member: Member, progress: UploadProgress): void {
    member.progress = progress;
    if (progress.status !== 'uploading') this.#members.delete(id);
    this.#sink.progress(id, progress);
  }

  #failAll(reason: string): void {
    for (const [id, member] of this.#members) {
      this.#settle(id, member, failedProgress(member.progress, id, reason, member.known));
    }
    this.#sink.done([]);
  }

  #state(state: ConnectionState): void {
    if (!this.#closer.signal.aborted) this.#sink.state(this.#members.keys(), state);
  }
}

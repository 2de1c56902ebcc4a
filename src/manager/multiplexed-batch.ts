import type {EventSourceMessage} from 'eventsource-parser';
import {sleep} from '../clock.js';
import {originOf, type ConnectionTicket} from '../budget/connection-budget.js';
import {UploadProgressError} from '../errors.js';
import {failedProgress, mergeProgress, parseProgress} from '../stream/normalize-progress.js';
import {buildHeaders, MAX_EVENT_ID, type ResolvedOptions} from '../stream/resolve-options.js';
import {
  multiplexedUrl,
  NO_MULTIPLEX_STATUSES,
  routeOf,
} from '../transport/multiplexed-connection.js';
import {ReconnectPolicy} from '../transport/retry-policy.js';
import {readEventStream, STOPPED, type AttemptResult} from '../transport/sse-connection.js';
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
  #ticket: ConnectionTicket | undefined;
  #wake: ((granted: boolean) => void) | undefined;
  #lastEventId: string | undefined;
  #attempts = 0;

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
    this.#closer.abort();
    this.#release();
    this.#wake?.(false);
  }

  async #run(): Promise<void> {
    const {clock, retry, random, budget} = this.#options;
    const closed = this.#closer.signal;
    const origin = originOf(this.#base);
    // The same policy as one stream's: no server pushes it outside its floor, cap and
    // attempts per minute.
    const policy = new ReconnectPolicy(retry, random);
    while (!closed.aborted) {
      const granted = await new Promise<boolean>((resolve) => {
        this.#wake = resolve;
        this.#ticket = budget.request(origin, this.#options.maxConnections, () => resolve(true));
        if (!this.#ticket.granted) this.#state('waiting');
      });
      this.#wake = undefined;
      if (!granted || closed.aborted) return this.#release();
      this.#attempts++;
      this.#state('connecting');
      policy.attempted(clock.now());
      const attempt = new AbortController();
      const stop = () => attempt.abort(STOPPED);
      closed.addEventListener('abort', stop);
      let contact = false;
      let openedAt: number | undefined;
      const result = await this.#connect(attempt.signal, {
        onOpen: () => {
          openedAt = clock.now();
          this.#state('open');
        },
        onEvent: (event) => {
          contact = this.#handle(event) !== undefined || contact;
          if (this.#members.size === 0) attempt.abort(STOPPED);
        },
        onRetry: (ms) => policy.serverRetry(ms),
      });
      closed.removeEventListener('abort', stop);
      this.#release();
      if (closed.aborted) return;
      if (this.#members.size === 0) return this.#sink.done([]);

      const error =
        result.kind === 'error'
          ? result.error
          : new UploadProgressError(
              'stream-ended',
              'The server ended the progress stream before the upload finished; reconnecting.',
              {uploadId: '', attempt: this.#attempts},
            );
      if (error.status !== undefined && NO_MULTIPLEX_STATUSES.has(error.status)) {
        return this.#sink.done([...this.#members.keys()]);
      }
      if (error.final) return this.#failAll(error.message);
      const delay = policy.next(clock.now(), {
        contact,
        lived: openedAt === undefined ? 0 : clock.now() - openedAt,
        retryAfter: error.retryAfter,
      });
      if (delay === undefined) {
        const why = error.message.replace(/;? ?(reconnecting|retrying)\.?$/, '');
        return this.#failAll(
          `Lost contact with the server after ${policy.failures} attempts (${why}).`,
        );
      }
      this.#state('retrying');
      if (!(await sleep(clock, delay, closed))) return;
    }
  }

  async #connect(
    signal: AbortSignal,
    callbacks: Parameters<typeof readEventStream>[1],
  ): Promise<AttemptResult> {
    const [first = ''] = this.#members.keys();
    let headers: Headers;
    try {
      headers = await buildHeaders(this.#options.headers, this.#lastEventId);
    } catch (cause) {
      const message = 'The headers option failed to provide headers; retrying.';
      return {
        kind: 'error',
        error: new UploadProgressError('network', message, {uploadId: first, cause}),
      };
    }
    return readEventStream(
      {
        url: multiplexedUrl(this.#base, this.#members.keys()),
        // A missing fetch fails as the network would, and ends in "Lost contact".
        fetch: this.#options.fetch ?? globalThis.fetch,
        headers,
        credentials: this.#options.credentials,
        signal,
        idleTimeout: this.#options.idleTimeout,
        connectTimeout: this.#options.connectTimeout,
        maxEventSize: this.#options.maxEventSize,
        clock: this.#options.clock,
        uploadId: first,
        attempt: this.#attempts,
      },
      callbacks,
    );
  }

  /** @returns true: a record changed; false: one of ours, nothing new; undefined: skipped */
  #handle(event: EventSourceMessage): boolean | undefined {
    if (event.id !== undefined && event.id.length <= MAX_EVENT_ID) this.#lastEventId = event.id;
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
        `The server does not know this upload: the id is wrong, or its session expired ` +
          `(servers keep finished uploads about 60 s).${said}`,
        member.known,
      );
    } else {
      const parsed = parseProgress(event.data, id);
      if (!parsed.ok) return undefined;
      next = mergeProgress(member.progress, parsed.record, id);
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

  #release(): void {
    this.#ticket?.release();
    this.#ticket = undefined;
  }
}

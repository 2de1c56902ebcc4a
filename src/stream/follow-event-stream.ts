import type {EventSourceMessage} from 'eventsource-parser';
import type {Clock} from '../clock.js';
import {originOf} from '../budget/connection-budget.js';
import {UploadProgressError} from '../errors.js';
import {ReconnectPolicy} from '../transport/retry-policy.js';
import {readEventStream, type AttemptCallbacks} from '../transport/sse-connection.js';
import type {ConnectionState} from '../types.js';
import {buildHeaders, MAX_EVENT_ID, type ResolvedOptions} from './resolve-options.js';

/**
 * What ends following: an `AbortSignal`, or an object of that shape (a stream passes its
 * own: an AbortController and its signal are ~550 bytes an open stream). Its `onabort` is
 * followEventStream's (it waits for one thing at a time: a slot, a read or a delay).
 */
export interface Closing {
  readonly aborted: boolean;
  onabort: ((this: never, event: never) => unknown) | null;
}

/** What {@link followEventStream} needs from whoever follows one progress URL. */
export interface FollowTarget {
  options: ResolvedOptions;
  /** Aborted by the owner's `close()`: ends waiting, reading and sleeping at once. */
  closed: Closing;
  /** The upload errors are about (a batch names its first). */
  uploadId: string;
  /** The URL of the next attempt (a batch asks only for the uploads still in flight). */
  url(): string;
  state(state: ConnectionState): void;
  /** Takes one event; true when it was a valid record for the follower (changed or not). */
  event(event: EventSourceMessage): boolean;
  /** Nothing is left to follow: the reading stops and the connection is released. */
  settled(): boolean;
  /** Every error on the way, transient ones included. */
  report?(error: UploadProgressError): void;
  /** An error that ends following at once, even one that would be retried. */
  ends?(error: UploadProgressError): boolean;
  /**
   * The id of the last event sent with an `id:` field (up to {@link MAX_EVENT_ID} long),
   * written here: sent back as `Last-Event-ID` when reconnecting.
   */
  lastEventId?: string | undefined;
}

/**
 * How following ended: every upload settled, `close()`, or an error that ends it (a final
 * answer, or `maxAttempts` attempts in a row that brought no record).
 */
export type FollowEnd =
  {kind: 'settled'} | {kind: 'closed'} | {kind: 'failed'; error: UploadProgressError};

const CLOSED: FollowEnd = {kind: 'closed'};

/**
 * Follows one progress URL until nothing is left to follow: waits for a slot of the
 * connection budget, reads the event stream, and after a drop or an early end reconnects on
 * the one {@link ReconnectPolicy} (floor, cap, attempts per minute) with `Last-Event-ID`.
 * One stream and a multiplexed batch share it, so every promise holds the same for both.
 *
 * The only async frame an open stream keeps suspended (the reading itself is a promise
 * chain, see readEventStream).
 */
export async function followEventStream(target: FollowTarget): Promise<FollowEnd> {
  const {options, closed} = target;
  const {clock, retry, random, budget} = options;
  const policy = new ReconnectPolicy(retry, random);
  // What each attempt reports to: made once per following, not per attempt.
  let contact = false;
  let openedAt: number | undefined;
  const reading: AttemptCallbacks = {
    // Asked afresh each attempt (read at once: the id is this attempt's). Always a
    // `Headers`: a page's fetch wrapper may call `init.headers.set()`.
    headers: () => buildHeaders(options.headers, target.lastEventId),
    onOpen: () => {
      openedAt = clock.now();
      target.state('open');
    },
    onEvent: (event) => {
      if (event.id !== undefined && event.id.length <= MAX_EVENT_ID) target.lastEventId = event.id;
      contact = target.event(event) || contact;
      return target.settled();
    },
    onRetry: (ms) => policy.serverRetry(ms),
  };
  let attempts = 0;
  while (!closed.aborted) {
    const url = target.url();
    // A slot of the budget: granted at once (the usual case: no promise, no listener), or
    // waited for, shown as `waiting`.
    let grant: ((granted: boolean) => void) | undefined;
    const ticket = budget.request(originOf(url), options.maxConnections, () => grant?.(true));
    if (!ticket.granted) {
      target.state('waiting');
      const granted = await new Promise<boolean>((resolve) => {
        grant = resolve;
        // Synchronously: whoever closes sees the queue left at once.
        closed.onabort = () => {
          ticket.release();
          resolve(false);
        };
        // A listener of `waiting` may have closed already.
        if (closed.aborted) resolve(false);
      });
      closed.onabort = null;
      // close() may come between the grant and this continuation.
      if (!granted || closed.aborted) {
        ticket.release();
        return CLOSED;
      }
    }
    attempts++;
    target.state('connecting');
    policy.attempted(clock.now());
    contact = false;
    openedAt = undefined;
    const context = {uploadId: target.uploadId, attempt: attempts};
    const attempt = readEventStream(options, url, context, reading);
    // close() stops the reading and gives the slot back as it returns, not once the read
    // has wound down.
    closed.onabort = () => {
      ticket.release();
      attempt.stop('owner');
    };
    // A listener of `connecting` may have closed already.
    if (closed.aborted) attempt.stop('owner');
    const failure = await attempt.done;
    closed.onabort = null;
    ticket.release();
    if (closed.aborted) return CLOSED;
    // Ended without an error but not settled either: the server ended the stream early. (A
    // read stopped by `onEvent` is settled; one stopped by `closed` is closed.)
    if (target.settled()) return {kind: 'settled'};
    const error =
      failure ??
      new UploadProgressError(
        'stream-ended',
        'The server ended the stream before the upload finished.',
        context,
      );
    target.report?.(error);
    if (error.final || target.ends?.(error)) return {kind: 'failed', error};

    const delay = policy.next(clock.now(), {
      contact,
      lived: openedAt === undefined ? 0 : clock.now() - openedAt,
      retryAfter: error.retryAfter,
    });
    if (delay === undefined) {
      const why = error.message.replace(/\.$/, '');
      const spent = new UploadProgressError(
        'retries-exhausted',
        `Lost contact with the server after ${policy.failures} attempts (${why}).`,
        {...context, status: error.status, cause: error},
      );
      target.report?.(spent);
      return {kind: 'failed', error: spent};
    }
    target.state('retrying');
    if (!(await sleep(clock, delay, closed))) return CLOSED;
  }
  return CLOSED;
}

/** Resolves after `ms` on `clock`, or at once (resolving `false`) when `closed` aborts. */
function sleep(clock: Clock, ms: number, closed: Closing): Promise<boolean> {
  return new Promise((resolve) => {
    // A listener of `retrying` or of the error may have closed already.
    if (closed.aborted) return resolve(false);
    const handle = clock.setTimeout(() => {
      closed.onabort = null;
      resolve(true);
    }, ms);
    closed.onabort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
  });
}

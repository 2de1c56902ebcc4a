import type {EventSourceMessage} from 'eventsource-parser';
import {sleep} from '../clock.js';
import {originOf, type ConnectionTicket} from '../budget/connection-budget.js';
import {UploadProgressError} from '../errors.js';
import {ReconnectPolicy} from '../transport/retry-policy.js';
import {readEventStream} from '../transport/sse-connection.js';
import type {ConnectionState} from '../types.js';
import {buildHeaders, MAX_EVENT_ID, type ResolvedOptions} from './resolve-options.js';

/** What {@link followEventStream} needs from whoever follows one progress URL. */
export interface FollowTarget {
  options: ResolvedOptions;
  /** Aborted by the owner's `close()`: ends waiting, reading and sleeping at once. */
  closed: AbortSignal;
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

/**
 * Follows one progress URL until nothing is left to follow: waits for a slot of the
 * connection budget, reads the event stream, and after a drop or an early end reconnects on
 * the one {@link ReconnectPolicy} (floor, cap, attempts per minute) with `Last-Event-ID`.
 * One stream and a multiplexed batch share it, so every promise holds the same for both.
 */
export async function followEventStream(target: FollowTarget): Promise<FollowEnd> {
  const {options, closed} = target;
  const {clock, retry, random, budget} = options;
  const policy = new ReconnectPolicy(retry, random);
  let attempts = 0;
  while (!closed.aborted) {
    const url = target.url();
    const ticket = await slot(originOf(url));
    if (!ticket) return {kind: 'closed'};
    attempts++;
    target.state('connecting');
    policy.attempted(clock.now());
    // The slot goes back as close() returns, not once the read has wound down. (No
    // controller of its own per attempt: the reading stops on `closed`, or when `onEvent`
    // says all is settled; an AbortController is ~9 µs a stream start in Node.)
    const release = () => ticket.release();
    closed.addEventListener('abort', release, {once: true});
    let contact = false;
    let openedAt: number | undefined;
    const context = {uploadId: target.uploadId, attempt: attempts};
    const failure = await readEventStream(
      options,
      url,
      // Asked afresh each attempt (read at once: the id is this attempt's).
      () => buildHeaders(options.headers, target.lastEventId),
      closed,
      context,
      {
        onOpen: () => {
          openedAt = clock.now();
          target.state('open');
        },
        onEvent: (event) => {
          if (event.id !== undefined && event.id.length <= MAX_EVENT_ID)
            target.lastEventId = event.id;
          contact = target.event(event) || contact;
          return target.settled();
        },
        onRetry: (ms) => policy.serverRetry(ms),
      },
    );
    closed.removeEventListener('abort', release);
    ticket.release();
    if (closed.aborted) return {kind: 'closed'};
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
    if (!(await sleep(clock, delay, closed))) return {kind: 'closed'};
  }
  return {kind: 'closed'};

  /** A granted slot of the budget, or undefined when closed first (nothing held then). */
  async function slot(origin: string): Promise<ConnectionTicket | undefined> {
    let ticket: ConnectionTicket | undefined;
    let leave: (() => void) | undefined;
    // The grant may come at once, inside request(): it only resolves there.
    const granted = await new Promise<boolean>((resolve) => {
      ticket = budget.request(origin, options.maxConnections, () => resolve(true));
      if (ticket.granted) return;
      target.state('waiting');
      // Synchronously: whoever closes sees the queue left at once.
      leave = () => {
        ticket!.release();
        resolve(false);
      };
      closed.addEventListener('abort', leave, {once: true});
    });
    if (leave) closed.removeEventListener('abort', leave);
    // close() may come between the grant and this continuation.
    if (!granted || closed.aborted) {
      ticket?.release();
      return undefined;
    }
    return ticket;
  }
}

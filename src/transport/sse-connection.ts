import {createParser, type EventSourceMessage} from 'eventsource-parser';
import {classifyResponse} from './classify-response.js';
import {readServerMessage} from './server-message.js';
import type {Clock} from '../clock.js';
import {UploadProgressError, type UploadProgressErrorKind} from '../errors.js';

/**
 * The reason every controller of the SDK is aborted with. A plain value: `abort()` without
 * one builds a `DOMException` (with its stack) per stream, even for streams that end well.
 */
export const STOPPED = 'upload-progress: stopped';

/**
 * What one connection attempt needs of the stream's settings: its resolved options are
 * passed as they are (no object built per attempt).
 */
export interface AttemptOptions {
  /** `undefined`: the global `fetch`. */
  fetch: typeof fetch | undefined;
  credentials: RequestCredentials | undefined;
  /** Silence allowed once the server has answered; `0`: no limit. */
  idleTimeout: number;
  /** Time allowed until the server answers (its headers); `0`: no limit. */
  connectTimeout: number;
  maxEventSize: number;
  clock: Clock;
}

/** Whom an attempt's errors are about (a multiplexed reader names its first upload). */
export interface AttemptContext {
  uploadId: string;
  attempt: number;
}

/** What one connection attempt reports while it reads. */
export interface AttemptCallbacks {
  /** The answer is a usable event stream. */
  onOpen(): void;
  /** Takes one event; `true` ends the reading there (nothing more is wanted: the attempt
   * ends as when the owner's signal aborts). */
  onEvent(event: EventSourceMessage): boolean | void;
  /** The server's `retry:` field, in ms (as sent: the retry policy bounds it). */
  onRetry(ms: number): void;
}

/**
 * Opens one event stream with `fetch` and reads it to its end: the body decoded as
 * streamed UTF-8 (a character split across chunks arrives whole; the BOM is dropped),
 * parsed by eventsource-parser (CR, LF and CRLF, comments, `id:`, `retry:`).
 *
 * What a server cannot do to it:
 * - redirect it: redirects are not followed (`redirect: 'manual'`), so the headers and
 *   cookies go to the progress URL only, and a redirected answer is refused (kind
 *   `redirected`), also when an injected `fetch` followed the redirect itself;
 * - make it buffer or take an event larger than `maxEventSize` (id, type and data counted),
 *   however the bytes are chunked;
 * - hold it: one timer per connection, `connectTimeout` until the server answers (time queued
 *   in the browser counts here, never as silence), then `idleTimeout` of silence, checked
 *   against the time of the last chunk (no timer re-armed per chunk).
 *
 * Never throws: every way it can end is a value, classified in one place. It ends
 * `undefined` when the stream ended, or was stopped (`signal` aborted, or `onEvent` wanted
 * nothing more: the owner knows which), and an error otherwise.
 *
 * @param headers - the request's headers, asked for each attempt (a user's function may fail)
 * @param signal - aborted by the owner to stop reading
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function readEventStream(
  options: AttemptOptions,
  url: string,
  headers: () => Promise<Headers>,
  signal: AbortSignal,
  context: AttemptContext,
  callbacks: AttemptCallbacks,
): Promise<UploadProgressError | undefined> {
  const {clock, idleTimeout, connectTimeout, maxEventSize} = options;
  const error = (
    kind: UploadProgressErrorKind,
    message: string,
    cause?: unknown,
    status?: number,
  ): UploadProgressError => new UploadProgressError(kind, message, {...context, cause, status});
  // Called as a plain function: `window.fetch` throws "Illegal invocation" when called
  // as a method of anything but the window.
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') {
    return error('invalid-options', 'No fetch is available here: pass the fetch option.');
  }
  let requestHeaders: Headers;
  try {
    requestHeaders = await headers();
  } catch (cause) {
    return error('network', 'The headers option failed.', cause);
  }
  if (signal.aborted) return;

  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // A plain flag, read twice a chunk: `signal.aborted` is a getter that costs more (Node).
  let stopped = false;
  // Ended by the callbacks (they want nothing more), not by the owner's signal.
  let enough = false;
  // Cancel the body ourselves too: a fetch wrapper or polyfill may not tie its body to the
  // signal, and a read that never settles would hold the connection forever.
  const stop = () => {
    stopped = true;
    // Now, not when fetch settles: a fetch that ignores its signal never does, and the
    // connect deadline would hold a closed manager's process open for up to 120 s.
    clock.clearTimeout(timer);
    controller.abort(STOPPED);
    void reader?.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', stop, {once: true});

  let timedOut: 'idle-timeout' | 'connect-timeout' | undefined;
  let tooLarge = false;
  let answered = false;
  let lastData = clock.now();
  let timer: unknown;
  // One timer per connection: until the answer it is the connect deadline; after, it wakes
  // when the silence could have reached idleTimeout and re-arms for the rest if data came.
  const watch = (ms: number) => {
    clock.clearTimeout(timer);
    timer = ms > 0 ? clock.setTimeout(check, ms) : undefined;
  };
  const check = () => {
    const left = answered ? lastData + idleTimeout - clock.now() : 0;
    if (left > 0) return watch(left);
    timedOut = answered ? 'idle-timeout' : 'connect-timeout';
    stop();
  };

  const interrupted = (cause: unknown): UploadProgressError | undefined => {
    if (enough || signal.aborted) return;
    if (tooLarge) {
      return error('event-too-large', `An event exceeded ${maxEventSize} characters.`);
    }
    if (timedOut === 'idle-timeout') {
      return error(timedOut, `No data from the server for ${idleTimeout} ms.`);
    }
    if (timedOut) {
      return error(timedOut, `No answer from the server in ${connectTimeout} ms.`);
    }
    return error(
      'network',
      reader
        ? 'The connection to the server dropped.'
        : 'Could not reach the server for progress: check the network and progressUrl.',
      cause,
    );
  };

  let finished = false;
  watch(connectTimeout);
  try {
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: 'GET',
        headers: requestHeaders,
        credentials: options.credentials,
        cache: 'no-store',
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (cause) {
      return interrupted(cause);
    }
    if (stopped) return interrupted(undefined);

    const elsewhere = redirectOf(response);
    if (elsewhere !== undefined) {
      void response.body?.cancel().catch(() => undefined);
      return error(
        'redirected',
        `The progress URL redirected${elsewhere && ` to ${elsewhere.slice(0, 200)}`}: not ` +
          `followed. Point progressUrl at the final URL.`,
        undefined,
        response.status || undefined,
      );
    }

    const {uploadId, attempt} = context;
    let problem = classifyResponse(response, uploadId, attempt, clock.now());
    if (problem) {
      if (problem.final) {
        const said = await readServerMessage(response);
        if (said) problem = classifyResponse(response, uploadId, attempt, clock.now(), said)!;
      } else {
        void response.body?.cancel().catch(() => undefined);
      }
      return problem;
    }
    if (!response.body) {
      return error('stream-ended', 'The server answered without a body.');
    }

    answered = true;
    lastData = clock.now();
    watch(idleTimeout);
    callbacks.onOpen();
    const parser = createParser({
      onEvent: (event) => {
        if (stopped) return;
        // eventsource-parser bounds what it buffers across chunks only: an event that
        // arrives whole in one chunk is checked here.
        if (
          event.data.length + (event.id?.length ?? 0) + (event.event?.length ?? 0) >
          maxEventSize
        ) {
          tooLarge = true;
          return stop();
        }
        if (callbacks.onEvent(event) === true) {
          enough = true;
          stop();
        }
      },
      onRetry: callbacks.onRetry,
      onError: (parseError) => {
        // Unknown fields and bad `retry:` values are ignored, as the spec says.
        if (parseError.type === 'max-buffer-size-exceeded') {
          tooLarge = true;
          stop();
        }
      },
      maxBufferSize: maxEventSize,
    });
    const decoder = new TextDecoder();
    reader = response.body.getReader();
    const ended = await pump(reader, (chunk) => {
      if (stopped) return false;
      lastData = clock.now();
      parser.feed(decoder.decode(chunk, {stream: true}));
      return !stopped;
    });
    if (!ended || stopped) return interrupted(undefined);
    finished = true;
    // An event not ended by a blank line at the end of the stream is dropped (the spec).
    parser.feed(decoder.decode());
    return;
  } catch (cause) {
    return interrupted(cause);
  } finally {
    clock.clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    if (!finished) stop();
  }
}

/**
 * Reads `reader` to its end, each chunk to `take` (false: stop reading); true if it ended.
 * A function of its own, with two locals: every `await` suspends and resumes its whole
 * frame, and readEventStream's (~30 locals and closures) made each chunk cost ~0.8 µs more
 * than the same loop alone (Node 20, 50,000 chunks).
 */
async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  take: (chunk: Uint8Array) => boolean,
): Promise<boolean> {
  for (;;) {
    const {done, value} = await reader.read();
    if (done) return true;
    if (!take(value)) return false;
  }
}

/**
 * Where an answer says it was redirected: `undefined` for an answer from the URL asked,
 * else the target when visible (`''` when not: browsers hide it behind an opaque redirect).
 *
 * Three signs, for three kinds of `fetch`: an opaque redirect (browsers, with
 * `redirect: 'manual'`), a 3xx status with its `Location` (Node), and `redirected` (a `fetch`
 * wrapper that followed the redirect anyway).
 */
function redirectOf(response: Response): string | undefined {
  if (response.type === 'opaqueredirect' || ((response.status / 100) | 0) === 3) {
    return response.headers.get('location') ?? '';
  }
  return response.redirected ? response.url : undefined;
}

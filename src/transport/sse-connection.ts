import {createParser, type EventSourceMessage} from 'eventsource-parser';
import {classifyResponse, readServerMessage} from './classify-response.js';
import type {Clock} from '../clock.js';
import {UploadProgressError} from '../errors.js';

/** One connection attempt's settings. */
export interface AttemptOptions {
  url: string;
  fetch: typeof fetch;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  /** Aborted by the owner to stop reading (a terminal record arrived, or `close()`). */
  signal: AbortSignal;
  idleTimeout: number;
  maxEventSize: number;
  clock: Clock;
  uploadId: string;
  attempt: number;
}

/** What one connection attempt reports while it reads. */
export interface AttemptCallbacks {
  /** The answer is a usable event stream. */
  onOpen(): void;
  onEvent(event: EventSourceMessage): void;
  /** The server's `retry:` field, in ms. */
  onRetry(ms: number): void;
}

/** How one connection attempt ended. */
export type AttemptResult =
  {kind: 'ended'} | {kind: 'stopped'} | {kind: 'error'; error: UploadProgressError};

/**
 * Opens one event stream with `fetch` and reads it to its end: the body decoded as
 * streamed UTF-8 (a character split across chunks arrives whole; the BOM is dropped),
 * parsed by eventsource-parser (CR, LF and CRLF, comments, `id:`, `retry:`), with a bound
 * on what one event may buffer and a watchdog for silence.
 *
 * Never throws: every way it can end is a value, classified in one place.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function readEventStream(
  options: AttemptOptions,
  callbacks: AttemptCallbacks,
): Promise<AttemptResult> {
  const {signal, clock, idleTimeout, uploadId, attempt} = options;
  if (signal.aborted) return {kind: 'stopped'};

  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, {once: true});
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Cancel the body ourselves: a fetch wrapper or polyfill may not tie its body to the
  // signal, and a read that never settles would hold the connection forever.
  controller.signal.addEventListener('abort', () => void reader?.cancel().catch(() => undefined), {
    once: true,
  });

  let idle = false;
  let tooLarge = false;
  let timer: unknown;
  const armWatchdog = () => {
    if (!(idleTimeout > 0)) return;
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      idle = true;
      controller.abort();
    }, idleTimeout);
  };

  let finished = false;
  const context = {uploadId, attempt};
  const interrupted = (cause: unknown): AttemptResult => {
    if (signal.aborted) return {kind: 'stopped'};
    if (tooLarge) {
      return error(
        'event-too-large',
        `An event exceeded ${options.maxEventSize} characters without ending; reconnecting.`,
      );
    }
    if (idle) {
      return error('idle-timeout', `No data from the server for ${idleTimeout} ms; reconnecting.`);
    }
    return error(
      'network',
      reader
        ? 'The connection to the server dropped; reconnecting.'
        : 'Could not reach the server for progress; reconnecting. Check the network and the progressUrl option.',
      cause,
    );
  };
  const error = (
    kind: 'event-too-large' | 'idle-timeout' | 'network' | 'stream-ended',
    message: string,
    cause?: unknown,
  ): AttemptResult => ({
    kind: 'error',
    error: new UploadProgressError(kind, message, {...context, cause}),
  });

  armWatchdog();
  try {
    let response: Response;
    // Called as a plain function: `window.fetch` throws "Illegal invocation" when called
    // as a method of anything but the window.
    const fetchFn = options.fetch;
    try {
      response = await fetchFn(options.url, {
        method: 'GET',
        headers: options.headers,
        credentials: options.credentials,
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch (cause) {
      return interrupted(cause);
    }

    let problem = classifyResponse(response, uploadId, attempt, clock.now());
    if (problem) {
      if (problem.final) {
        const said = await readServerMessage(response);
        if (said) problem = classifyResponse(response, uploadId, attempt, clock.now(), said)!;
      } else {
        void response.body?.cancel().catch(() => undefined);
      }
      return {kind: 'error', error: problem};
    }
    if (!response.body) {
      return error('stream-ended', 'The server answered with an empty event stream; reconnecting.');
    }

    armWatchdog();
    callbacks.onOpen();
    const parser = createParser({
      onEvent: (event) => {
        if (!controller.signal.aborted) callbacks.onEvent(event);
      },
      onRetry: (ms) => callbacks.onRetry(ms),
      onError: (parseError) => {
        // Unknown fields and bad `retry:` values are ignored, as the spec says.
        if (parseError.type === 'max-buffer-size-exceeded') {
          tooLarge = true;
          controller.abort();
        }
      },
      maxBufferSize: options.maxEventSize,
    });
    const decoder = new TextDecoder();
    reader = response.body.getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (controller.signal.aborted) return interrupted(undefined);
      if (done) break;
      armWatchdog();
      parser.feed(decoder.decode(value, {stream: true}));
      if (controller.signal.aborted) return interrupted(undefined);
    }
    finished = true;
    // An event not ended by a blank line at the end of the stream is dropped (the spec).
    parser.feed(decoder.decode());
    return {kind: 'ended'};
  } catch (cause) {
    return interrupted(cause);
  } finally {
    clock.clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    if (!finished) {
      controller.abort();
      void reader?.cancel().catch(() => undefined);
    }
  }
}

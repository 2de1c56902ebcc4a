import {createParser, type EventSourceMessage} from 'eventsource-parser';
import {classifyResponse} from './classify-response.js';
import {readServerMessage} from './server-message.js';
import {watchdogOf, type Watchdog, type Watched} from './watchdog.js';
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
  /** The request's headers, asked for as the attempt starts (a user's function may fail). */
  headers(): HeadersInit | Promise<HeadersInit>;
  /** The answer is a usable event stream. */
  onOpen(): void;
  /** Takes one event; `true` ends the reading there (nothing more is wanted: the attempt
   * ends as when the owner stops it). */
  onEvent(event: EventSourceMessage): boolean | void;
  /** The server's `retry:` field, in ms (as sent: the retry policy bounds it). */
  onRetry(ms: number): void;
}

/** One connection attempt under way. */
export interface Attempt {
  /**
   * How it ended: `undefined` when the stream ended, or was stopped (by `stop()`, or because
   * `onEvent` wanted nothing more: the owner knows which), and an error otherwise. Never
   * rejects: every way it can end is a value, classified in one place.
   */
  readonly done: Promise<UploadProgressError | undefined>;
  /**
   * Ends it at once (`done` settles now): aborts the request, cancels the body.
   * @param why - `'owner'`: the owner wants no more; without: its deadline passed
   */
  stop(why?: 'owner'): void;
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
 * - hold it: `connectTimeout` until the server answers (time queued in the browser counts
 *   here, never as silence), then `idleTimeout` of silence, checked by the clock's one
 *   {@link Watchdog} against the time of the last chunk (nothing armed per chunk).
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function readEventStream(
  options: AttemptOptions,
  url: string,
  context: AttemptContext,
  callbacks: AttemptCallbacks,
): Attempt {
  return new Connection(options, url, context, callbacks);
}

/** Why a connection was ended before its stream did. */
type Stop = 'owner' | 'enough' | 'too-large' | 'idle-timeout' | 'connect-timeout';

/**
 * One attempt as one object, read with a promise chain: no suspended async frames per
 * open stream (four of them, ~800 bytes, held every open stream in memory), one
 * AbortController made as the request starts, and no closures beyond the parser's and the
 * read loop's.
 */
class Connection implements Attempt, Watched {
  readonly done: Promise<UploadProgressError | undefined>;
  at = Infinity;
  #settle!: (error: UploadProgressError | undefined) => void;
  readonly #options: AttemptOptions;
  readonly #context: AttemptContext;
  readonly #callbacks: AttemptCallbacks;
  #controller: AbortController | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** `done` has settled: whatever still arrives is dropped. */
  #ended = false;
  #stop: Stop | undefined;
  #answered = false;
  #watchdog: Watchdog | undefined;

  constructor(
    options: AttemptOptions,
    url: string,
    context: AttemptContext,
    callbacks: AttemptCallbacks,
  ) {
    this.#options = options;
    this.#context = context;
    this.#callbacks = callbacks;
    this.done = new Promise((resolve) => (this.#settle = resolve));
    // A user's headers function may throw or reject: both end up here.
    new Promise<HeadersInit>((resolve) => resolve(callbacks.headers())).then(
      (headers) => this.#fetch(url, headers),
      (cause: unknown) => this.#end(this.#error('network', 'The headers option failed.', cause)),
    );
  }

  /** Ends the attempt now, for `why` (`done` settles at once); without: timed out. */
  stop(why?: Stop): void {
    if (this.#ended) return;
    this.#stop = why ?? (this.#answered ? 'idle-timeout' : 'connect-timeout');
    this.#end(this.#interrupted());
  }

  #fetch(url: string, headers: HeadersInit): void {
    if (this.#ended) return;
    const options = this.#options;
    // Called as a plain function: `window.fetch` throws "Illegal invocation" when called
    // as a method of anything but the window.
    const fetchFn = options.fetch ?? globalThis.fetch;
    if (typeof fetchFn !== 'function') {
      return this.#end(
        this.#error('invalid-options', 'No fetch is available here: pass the fetch option.'),
      );
    }
    const {clock, idleTimeout, connectTimeout} = options;
    if (connectTimeout > 0 || idleTimeout > 0) {
      if (connectTimeout > 0) this.at = clock.now() + connectTimeout;
      (this.#watchdog = watchdogOf(clock)).add(this);
    }
    const controller = (this.#controller = new AbortController());
    new Promise<Response>((resolve) =>
      resolve(
        fetchFn(url, {
          method: 'GET',
          headers,
          credentials: options.credentials,
          cache: 'no-store',
          redirect: 'manual',
          signal: controller.signal,
        }),
      ),
    )
      // A throw while opening (a wrapper's odd answer, a locked body) ends this attempt as
      // an interruption, as a throw while reading does: it never leaves it open.
      .then((response) => this.#open(response))
      .catch((cause: unknown) => this.#end(this.#interrupted(cause)));
  }

  #open(response: Response): void {
    const {body} = response;
    // Stopped while the request was under way: a fetch that ignores its signal still gets
    // its body cancelled.
    if (this.#ended) return void body?.cancel().catch(noop);
    if (this.#refused(response)) return;
    if (!body) return this.#end(this.#error('stream-ended', 'The server answered without a body.'));
    const {clock, idleTimeout, maxEventSize} = this.#options;
    this.#answered = true;
    // The idle deadline replaces the connect one: the watchdog wakes by then.
    if (idleTimeout > 0) this.#watchdog?.arm((this.at = clock.now() + idleTimeout));
    else this.#watchdog?.delete(this);
    const callbacks = this.#callbacks;
    callbacks.onOpen();
    if (this.#ended) return void body.cancel().catch(noop);
    const parser = createParser({
      onEvent: (event) => {
        if (this.#ended) return;
        // eventsource-parser bounds what it buffers across chunks only: an event that
        // arrives whole in one chunk is checked here.
        if (
          event.data.length + (event.id?.length ?? 0) + (event.event?.length ?? 0) >
          maxEventSize
        ) {
          return this.stop('too-large');
        }
        if (callbacks.onEvent(event) === true) this.stop('enough');
      },
      onRetry: (ms) => callbacks.onRetry(ms),
      onError: (parseError) => {
        // Unknown fields and bad `retry:` values are ignored, as the spec says.
        if (parseError.type === 'max-buffer-size-exceeded') this.stop('too-large');
      },
      maxBufferSize: maxEventSize,
    });
    const decoder = new TextDecoder();
    const reader = (this.#reader = body.getReader());
    // One closure pair for the whole stream, not a suspended frame per await.
    const take = (result: ReadableStreamReadResult<Uint8Array>): void => {
      if (this.#ended) return;
      if (result.done) {
        // An event not ended by a blank line at the end of the stream is dropped (the spec).
        parser.feed(decoder.decode());
        return this.#end(undefined, true);
      }
      // The silence is counted from here (nothing re-armed: the watchdog reads it).
      this.at = clock.now() + idleTimeout;
      parser.feed(decoder.decode(result.value, {stream: true}));
      if (!this.#ended) void reader.read().then(take).catch(fail);
    };
    // A read that fails and a chunk that throws (a body yielding no bytes) end alike.
    const fail = (cause: unknown) => this.#end(this.#interrupted(cause));
    void reader.read().then(take).catch(fail);
  }

  /**
   * Ends the attempt with what an answer that is no event stream means (true then). A
   * method of its own: the read loop's closures must not keep the response alive.
   */
  #refused(response: Response): boolean {
    const elsewhere = redirectOf(response);
    if (elsewhere !== undefined) {
      void response.body?.cancel().catch(noop);
      this.#end(
        this.#error(
          'redirected',
          `The progress URL redirected${elsewhere && ` to ${elsewhere.slice(0, 200)}`}: not ` +
            `followed. Point progressUrl at the final URL.`,
          undefined,
          response.status || undefined,
        ),
      );
      return true;
    }
    const {clock} = this.#options;
    const {uploadId, attempt} = this.#context;
    const problem = classifyResponse(response, uploadId, attempt, clock.now());
    if (!problem) return false;
    if (problem.final) {
      // The server's own words, read first (the body is not cancelled then).
      readServerMessage(response)
        .then((said) =>
          this.#end(
            said ? classifyResponse(response, uploadId, attempt, clock.now(), said)! : problem,
          ),
        )
        // Unreadable (a wrapper read the body already): the status alone.
        .catch(() => this.#end(problem));
    } else {
      void response.body?.cancel().catch(noop);
      this.#end(problem);
    }
    return true;
  }

  /** What an attempt that did not end with its stream comes to. */
  #interrupted(cause?: unknown): UploadProgressError | undefined {
    const why = this.#stop;
    if (why === 'owner' || why === 'enough') return;
    const {idleTimeout, connectTimeout, maxEventSize} = this.#options;
    if (why === 'too-large') {
      return this.#error('event-too-large', `An event exceeded ${maxEventSize} characters.`);
    }
    if (why === 'idle-timeout') {
      return this.#error(why, `No data from the server for ${idleTimeout} ms.`);
    }
    if (why) return this.#error(why, `No answer from the server in ${connectTimeout} ms.`);
    return this.#error(
      'network',
      this.#reader
        ? 'The connection to the server dropped.'
        : 'Could not reach the server for progress: check the network and progressUrl.',
      cause,
    );
  }

  /**
   * Settles `done` (once) and lets go of everything: the watchdog, and, unless the stream
   * ended on its own (`drained`), the request and the body (cancelled too: a fetch wrapper
   * or polyfill may not tie its body to the signal, and a read that never settles would
   * hold the connection forever).
   */
  #end(result: UploadProgressError | undefined, drained = false): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#watchdog?.delete(this);
    if (!drained) {
      this.#controller?.abort(STOPPED);
      void this.#reader?.cancel().catch(noop);
    }
    this.#settle(result);
  }

  #error(
    kind: UploadProgressErrorKind,
    message: string,
    cause?: unknown,
    status?: number,
  ): UploadProgressError {
    return new UploadProgressError(kind, message, {...this.#context, cause, status});
  }
}

const noop = () => undefined;

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

import type {UploadProgress} from '../../src/index.js';

/** A progress record with sensible defaults. */
export function record(overrides: Partial<UploadProgress> = {}): UploadProgress {
  return {
    upload_id: 'u1',
    filename: 'report.pdf',
    total_bytes: 1000,
    uploaded_bytes: 0,
    status: 'uploading',
    error: null,
    started_at: '2026-11-24T10:00:00Z',
    completed_at: null,
    progress_percentage: 0,
    ...overrides,
  };
}

/** One SSE message, as a server would write it. */
export function message(
  data: unknown,
  {event = 'progress', id, eol = '\n'}: {event?: string | null; id?: string; eol?: string} = {},
): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  let out = '';
  if (event !== null) out += `event: ${event}${eol}`;
  if (id !== undefined) out += `id: ${id}${eol}`;
  for (const line of text.split('\n')) out += `data: ${line}${eol}`;
  return out + eol;
}

/** A response body the test writes to chunk by chunk, and sees cancelled. */
export class ControlledBody {
  readonly stream: ReadableStream<Uint8Array>;
  cancelled = false;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #encoder = new TextEncoder();

  constructor() {
    this.stream = new ReadableStream({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.cancelled = true;
      },
    });
  }

  push(chunk: string | Uint8Array): void {
    this.#controller.enqueue(typeof chunk === 'string' ? this.#encoder.encode(chunk) : chunk);
  }

  end(): void {
    this.#controller.close();
  }

  fail(reason: unknown = new TypeError('network error')): void {
    this.#controller.error(reason);
  }
}

/** A `text/event-stream` response. */
export function eventStream(
  body: ReadableStream<Uint8Array> | string,
  init: ResponseInit = {},
): Response {
  return new Response(body, {
    status: 200,
    ...init,
    headers: {'content-type': 'text/event-stream', ...(init.headers as Record<string, string>)},
  });
}

export interface RecordedCall {
  url: string;
  headers: Headers;
  signal: AbortSignal;
  init: RequestInit;
}

/**
 * An injected `fetch`: `respond` answers the nth call (0-based). Calls are recorded with
 * their headers and signal, so a test sees what was sent and what was aborted.
 */
export function fakeFetch(
  respond: (call: RecordedCall, n: number) => Response | Promise<Response>,
): {fetch: typeof fetch; calls: RecordedCall[]} {
  const calls: RecordedCall[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: RecordedCall = {
      url: String(input),
      headers: new Headers(init.headers),
      signal: init.signal!,
      init,
    };
    calls.push(call);
    if (call.signal.aborted) throw new DOMException('aborted', 'AbortError');
    const response = await respond(call, calls.length - 1);
    return response;
  }) as typeof fetch;
  return {fetch: fetchFn, calls};
}

/** Waits, polling with real time, until `check` returns a truthy value; fails after `timeout`. */
export async function waitFor<T>(
  check: () => T,
  what = 'condition',
  timeout = 4000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending promise jobs and a few tasks run. */
export async function settle(tasks = 3): Promise<void> {
  for (let i = 0; i < tasks; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

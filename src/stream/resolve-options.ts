import {systemClock, type Clock} from '../clock.js';
import {getSharedConnectionBudget, type ConnectionBudget} from '../budget/connection-budget.js';
import {
  COUNT,
  DELAY,
  isCount,
  isDelay,
  must,
  resolveRetryOptions,
  type ResolvedRetryOptions,
} from '../transport/retry-policy.js';
import type {HeadersOption, ProgressOptions} from '../types.js';

/** The seed's endpoint. */
export const DEFAULT_PROGRESS_URL = '/api/files/progress/{upload_id}';

/**
 * Options for those who need to reach further in: tests (time, randomness) and pages that
 * want a budget of their own.
 */
export interface AdvancedOptions {
  /** Time source for backoff, idle timeouts and speed. @defaultValue the real clock */
  clock?: Clock;
  /** Source of jitter, in [0, 1). @defaultValue `Math.random` */
  random?: () => number;
  /** The budget streams count against. @defaultValue the page's shared budget */
  connectionBudget?: ConnectionBudget;
}

/** Everything a stream needs, defaults filled in and checked once. */
export interface ResolvedOptions {
  urlFor(uploadId: string): string;
  fetch: typeof fetch | undefined;
  headers: HeadersOption | undefined;
  credentials: RequestCredentials | undefined;
  signal: AbortSignal | undefined;
  idleTimeout: number;
  connectTimeout: number;
  maxEventSize: number;
  /** `undefined`: the budget's protocol-aware default for the origin. */
  maxConnections: number | undefined;
  retry: ResolvedRetryOptions;
  clock: Clock;
  random: () => number;
  budget: ConnectionBudget;
}

/** Fills in defaults; throws a `RangeError`/`TypeError` for options that cannot work. */
export function resolveOptions(options: ProgressOptions & AdvancedOptions = {}): ResolvedOptions {
  const {
    idleTimeout = 45_000,
    connectTimeout = 120_000,
    maxEventSize = 1_048_576,
    maxConnections,
  } = options;
  must(isDelay(idleTimeout), 'idleTimeout', idleTimeout, `${DELAY}; 0 turns it off`);
  must(isDelay(connectTimeout), 'connectTimeout', connectTimeout, `${DELAY}; 0 turns it off`);
  must(isCount(maxEventSize), 'maxEventSize', maxEventSize, COUNT);
  // Left undefined: the budget applies its protocol-aware default for the origin.
  if (maxConnections !== undefined) {
    must(isCount(maxConnections), 'maxConnections', maxConnections, COUNT);
  }
  const template = options.progressUrl ?? DEFAULT_PROGRESS_URL;
  if (typeof template !== 'string' && typeof template !== 'function') {
    throw new TypeError('progressUrl must be a string or a function.');
  }
  return {
    urlFor: typeof template === 'function' ? template : (id) => fillTemplate(template, id),
    fetch: options.fetch,
    headers: options.headers,
    credentials: options.credentials,
    signal: options.signal,
    idleTimeout,
    connectTimeout,
    maxEventSize,
    maxConnections,
    retry: resolveRetryOptions(options.retry),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    budget: options.connectionBudget ?? getSharedConnectionBudget(),
  };
}

/**
 * Why an id cannot be asked for, or `undefined` when it can. Empty ids and dot segments
 * would address the parent paths of the progress URL (`/api/files/progress/..` is
 * `/api/files/`) with the page's headers and cookies; URL parsers and many servers take
 * `%2e` for a dot, and some decode twice, so every spelling is refused.
 */
export function refuseId(uploadId: string): string | undefined {
  return /^(?:\.|%(?:25)*2e){0,2}$/i.test(uploadId)
    ? `Upload id ${JSON.stringify(uploadId)} is empty or a dot segment: not requested.`
    : undefined;
}

/**
 * Puts the encoded id into the template's `{upload_id}` (or appends it as the last path
 * segment when the template has no placeholder). Encoding matters: ids are the server's
 * to choose and may hold `/`, `?` or `#`.
 */
function fillTemplate(template: string, uploadId: string): string {
  const encoded = encodeURIComponent(uploadId);
  if (template.includes('{upload_id}')) return template.split('{upload_id}').join(encoded);
  return `${template.replace(/\/$/, '')}/${encoded}`;
}

/** Longest `id:` sent back as `Last-Event-ID`; a longer one is not kept. */
export const MAX_EVENT_ID = 1024;

/** The headers of one connection attempt: the user's (asked afresh) plus the SSE ones. */
export async function buildHeaders(
  option: HeadersOption | undefined,
  lastEventId: string | undefined,
): Promise<Headers> {
  const headers = new Headers(typeof option === 'function' ? await option() : option);
  headers.set('Accept', 'text/event-stream');
  // Headers carry bytes: the id's UTF-8 bytes, one per code unit, as EventSource sends them
  // (a character above U+00FF would make `set` throw).
  if (lastEventId) {
    headers.set('Last-Event-ID', String.fromCharCode(...new TextEncoder().encode(lastEventId)));
  }
  return headers;
}

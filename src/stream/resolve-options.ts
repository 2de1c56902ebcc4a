import {systemClock, type Clock} from '../clock.js';
import {getSharedConnectionBudget, type ConnectionBudget} from '../budget/connection-budget.js';
import {resolveRetryOptions, type ResolvedRetryOptions} from '../transport/retry-policy.js';
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
  const idleTimeout = options.idleTimeout ?? 45_000;
  if (!(idleTimeout >= 0) || !Number.isFinite(idleTimeout)) {
    throw new RangeError(
      `idleTimeout must be a finite number >= 0 (0 turns it off), got ${idleTimeout}.`,
    );
  }
  const maxEventSize = options.maxEventSize ?? 1_048_576;
  if (!Number.isInteger(maxEventSize) || maxEventSize < 1) {
    throw new RangeError(`maxEventSize must be a positive integer, got ${maxEventSize}.`);
  }
  const maxConnections = options.maxConnections;
  if (maxConnections !== undefined && !(Number.isInteger(maxConnections) && maxConnections > 0)) {
    throw new RangeError(`maxConnections must be a positive integer, got ${maxConnections}.`);
  }
  const template = options.progressUrl ?? DEFAULT_PROGRESS_URL;
  if (typeof template !== 'string' && typeof template !== 'function') {
    throw new TypeError('progressUrl must be a string or a function of the upload id.');
  }
  return {
    urlFor: typeof template === 'function' ? template : (id) => fillTemplate(template, id),
    fetch: options.fetch,
    headers: options.headers,
    credentials: options.credentials,
    signal: options.signal,
    idleTimeout,
    maxEventSize,
    maxConnections,
    retry: resolveRetryOptions(options.retry),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    budget: options.connectionBudget ?? getSharedConnectionBudget(),
  };
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

/** The headers of one connection attempt: the user's (asked afresh) plus the SSE ones. */
export async function buildHeaders(
  option: HeadersOption | undefined,
  lastEventId: string | undefined,
): Promise<Headers> {
  const headers = new Headers(typeof option === 'function' ? await option() : option);
  headers.set('Accept', 'text/event-stream');
  if (lastEventId) headers.set('Last-Event-ID', lastEventId);
  return headers;
}

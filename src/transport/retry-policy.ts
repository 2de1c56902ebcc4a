import type {RetryOptions} from '../types.js';

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  maxAttempts: 8,
  maxRetryAfter: 120_000,
});

/** Fills in defaults and rejects values that would hammer a server or never end. */
export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  const merged = {...DEFAULT_RETRY, ...stripUndefined(options ?? {})};
  const {initialDelay, maxDelay, factor, maxAttempts, maxRetryAfter} = merged;
  if (!(initialDelay >= 0) || !(maxDelay >= initialDelay) || !Number.isFinite(maxDelay)) {
    throw new RangeError(
      `retry.initialDelay (${initialDelay}) and retry.maxDelay (${maxDelay}) must be finite, >= 0, and maxDelay >= initialDelay.`,
    );
  }
  if (!(factor >= 1) || !Number.isFinite(factor)) {
    throw new RangeError(`retry.factor must be a finite number >= 1, got ${factor}.`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${maxAttempts}.`);
  }
  if (!(maxRetryAfter >= 0)) {
    throw new RangeError(`retry.maxRetryAfter must be >= 0, got ${maxRetryAfter}.`);
  }
  return merged;
}

/**
 * The delay before reconnection attempt `attempt + 1`, after `attempt` consecutive failures.
 *
 * Capped exponential backoff with jitter that only ever adds (up to half again), so many
 * clients cut off together do not come back together, yet none comes back sooner than
 * asked. A server's `retry:` field replaces the base delay (the SSE spec's reconnection
 * time); a `Retry-After` is a floor, never shortened below what the server asked (up to
 * `maxRetryAfter`).
 *
 * @param attempt - consecutive failures so far, >= 1
 * @param serverRetry - the last `retry:` value the server sent, in ms
 * @param retryAfter - the server's `Retry-After`, in ms
 * @param random - a number in [0, 1)
 */
export function reconnectDelay(
  attempt: number,
  options: ResolvedRetryOptions,
  serverRetry: number | undefined,
  retryAfter: number | undefined,
  random: number,
): number {
  const base = serverRetry ?? options.initialDelay;
  const cap = Math.max(options.maxDelay, base);
  const capped = Math.min(cap, base * options.factor ** Math.max(0, attempt - 1));
  // Jitter after the cap, or every client at the cap would come back at the same moment.
  const jittered = capped * (1 + random / 2);
  if (retryAfter === undefined) return Math.round(jittered);
  return Math.round(Math.max(jittered, Math.min(retryAfter, options.maxRetryAfter)));
}

/**
 * Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`.
 * Returns `undefined` for a missing or unreadable value.
 *
 * @see https://httpwg.org/specs/rfc9110.html#field.retry-after
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

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

/** Most connection attempts one stream starts in any 60 s, whatever the server sends. */
export const MAX_ATTEMPTS_PER_MINUTE = 12;

/**
 * The shortest delay a server can ask for, with `retry:` or `Retry-After` (or the page's own
 * `initialDelay`, if shorter): `retry: 0` sent again and again must not turn reconnection
 * into a loop.
 */
export const SERVER_DELAY_FLOOR = 1000;

/** The longest delay a timer holds: `setTimeout` wraps (browsers) or fires at once (Node) beyond. */
export const MAX_TIMER = 2 ** 31 - 1;

/**
 * A connection that stayed open this long after delivering a record counts as healthy (a
 * proxy cutting idle connections, say): the next reconnection starts from the shortest delay
 * again. Shorter ones, fresh records or not, let the delay grow, so a server that keeps
 * ending streams early is served more slowly, not faster.
 */
export const HEALTHY_AFTER_MS = 10_000;

/** Throws a `RangeError` that names the option and says what it must be, unless `ok`. */
export function must(ok: boolean, name: string, value: unknown, rule: string): void {
  if (!ok) throw new RangeError(`${name} must be ${rule}, got ${value}.`);
}

/** What a timer holds, in ms. */
export const isDelay = (ms: number): boolean => ms >= 0 && ms <= MAX_TIMER;
/** An integer >= 1. */
export const isCount = (n: number): boolean => Number.isInteger(n) && n >= 1;
export const DELAY = `0..${MAX_TIMER} (ms)`;
export const COUNT = 'an integer >= 1';

/** Fills in defaults and rejects values that would hammer a server or never end. */
export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  const merged: Record<string, unknown> & ResolvedRetryOptions = {...DEFAULT_RETRY};
  // An option given as `undefined` keeps its default.
  for (const [name, value] of Object.entries(options ?? {}))
    if (value !== undefined) merged[name] = value;
  const {initialDelay, maxDelay, factor, maxAttempts, maxRetryAfter} = merged;
  must(isDelay(initialDelay), 'retry.initialDelay', initialDelay, DELAY);
  must(
    isDelay(maxDelay) && maxDelay >= initialDelay,
    'retry.maxDelay',
    maxDelay,
    `${DELAY}, >= initialDelay`,
  );
  must(factor >= 1 && factor < Infinity, 'retry.factor', factor, 'a finite number >= 1');
  must(isCount(maxAttempts), 'retry.maxAttempts', maxAttempts, COUNT);
  must(isDelay(maxRetryAfter), 'retry.maxRetryAfter', maxRetryAfter, DELAY);
  return merged;
}

/**
 * The delay before reconnection attempt `attempt + 1`, after `attempt` short-lived
 * connections in a row.
 *
 * Capped exponential backoff with jitter that only ever adds (up to half again), so many
 * clients cut off together do not come back together, yet none comes back sooner than
 * asked. A server's `retry:` field replaces the base delay (the SSE spec's reconnection
 * time); a `Retry-After` is a floor. Neither can go below {@link SERVER_DELAY_FLOOR} (or
 * `initialDelay`, if shorter), and
 * no delay passes the cap, the larger of `maxDelay` and `maxRetryAfter` (both at most
 * {@link MAX_TIMER}, checked by {@link resolveRetryOptions}).
 *
 * @param attempt - short-lived connections in a row so far, >= 1
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
  // A page that asked for shorter waits itself (tests, a local server) keeps its own floor.
  const floor = Math.min(SERVER_DELAY_FLOOR, options.initialDelay);
  const base = serverRetry === undefined ? options.initialDelay : Math.max(serverRetry, floor);
  const capped = Math.min(
    Math.max(options.maxDelay, base),
    base * options.factor ** Math.max(0, attempt - 1),
  );
  // Jitter after the cap, or every client at the cap would come back at the same moment.
  let delay = capped * (1 + random / 2);
  if (retryAfter !== undefined) delay = Math.max(delay, retryAfter, floor);
  // The cap holds whatever the server said, jitter included.
  return Math.round(Math.min(delay, Math.max(options.maxDelay, options.maxRetryAfter)));
}

/** How one connection attempt went, as far as reconnecting is concerned. */
export interface AttemptOutcome {
  /** It delivered at least one valid record: the server is there, whatever it said. */
  contact: boolean;
  /** Milliseconds it stayed open after it was answered (0 if it never was). */
  lived: number;
  /** The server's `Retry-After`, in ms. */
  retryAfter?: number | undefined;
}

/**
 * The one reconnection policy of an upload's stream (or of a multiplexed stream): how long to
 * wait, and when to give up. No server can push it outside its bounds:
 *
 * - every delay a server asks for is held within [{@link SERVER_DELAY_FLOOR}, the cap];
 * - the delay grows with every short-lived connection, fresh records or not, and starts over
 *   only after one that stayed open {@link HEALTHY_AFTER_MS} with a record;
 * - at most {@link MAX_ATTEMPTS_PER_MINUTE} attempts start in any 60 s, whatever happened;
 * - the upload is given up ("lost contact") only after `maxAttempts` attempts in a row that
 *   brought no record: a server that answers, even with the same record, is not lost.
 *
 * @example
 * const policy = new ReconnectPolicy(resolveRetryOptions({}), Math.random);
 * policy.attempted(clock.now());
 * // … the connection ends …
 * const delay = policy.next(clock.now(), {contact: true, lived: 200});
 * if (delay === undefined) giveUp(policy.failures);
 */
export class ReconnectPolicy {
  /** Consecutive attempts that brought no record. */
  failures = 0;
  #level = 0;
  #serverRetry: number | undefined;
  /** Start times of the last {@link MAX_ATTEMPTS_PER_MINUTE} attempts, oldest first. */
  readonly #starts: number[] = [];

  readonly #options: ResolvedRetryOptions;
  readonly #random: () => number;

  constructor(options: ResolvedRetryOptions, random: () => number) {
    this.#options = options;
    this.#random = random;
  }

  /** An attempt starts now (the request is about to be made). */
  attempted(now: number): void {
    this.#starts.push(now);
    if (this.#starts.length > MAX_ATTEMPTS_PER_MINUTE) this.#starts.shift();
  }

  /** The server's `retry:` field, in ms (held within the floor and the cap when used). */
  serverRetry(ms: number): void {
    this.#serverRetry = ms;
  }

  /**
   * After a connection ended before the upload settled: the delay before the next attempt,
   * or `undefined` when `maxAttempts` attempts in a row brought no record.
   */
  next(now: number, outcome: AttemptOutcome): number | undefined {
    const options = this.#options;
    this.failures = outcome.contact ? 0 : this.failures + 1;
    if (this.failures >= options.maxAttempts) return undefined;
    this.#level = outcome.contact && outcome.lived >= HEALTHY_AFTER_MS ? 1 : this.#level + 1;
    const delay = reconnectDelay(
      this.#level,
      options,
      this.#serverRetry,
      outcome.retryAfter,
      this.#random(),
    );
    // The window: attempt n + MAX_ATTEMPTS_PER_MINUTE starts at least 60 s after attempt n.
    const starts = this.#starts;
    const windowWait = starts.length < MAX_ATTEMPTS_PER_MINUTE ? 0 : starts[0]! + 60_000 - now;
    return Math.max(delay, windowWait);
  }
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

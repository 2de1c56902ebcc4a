/**
 * Time as the SDK sees it. Injected (the `clock` option) so tests drive backoff, idle
 * timeouts and speed with fake time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch (used for `Retry-After` dates and speed). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

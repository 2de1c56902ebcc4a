import type {Clock} from '../clock.js';

/** A connection the watchdog keeps an eye on. */
export interface Watched {
  /**
   * When it is given up, on the clock's time (`Infinity`: not now). Written freely later
   * (per chunk: no timer touched); an earlier one is told with {@link Watchdog.arm}.
   */
  readonly at: number;
  /** The deadline passed: the connection ends itself (and leaves the watchdog). */
  stop(): void;
}

/**
 * One timer for every connection on a clock, however many are open: it wakes at the earliest
 * deadline, ends those whose deadline passed, and sleeps until the next. A connection only
 * writes a time per chunk (its deadline moves later), so nothing is armed per chunk, and
 * 10,000 open streams hold one timer, not 10,000 (~220 bytes each in Chromium).
 *
 * The timer is cleared when the last connection leaves, so a closed stream never keeps a
 * process alive. A timer that wakes early (data came meanwhile) only re-arms.
 */
export class Watchdog {
  readonly #clock: Clock;
  readonly #watched = new Set<Watched>();
  #timer: unknown;
  /** When the timer fires (`Infinity`: none armed). */
  #at = Infinity;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(watched: Watched): void {
    this.#watched.add(watched);
    this.arm(watched.at);
  }

  delete(watched: Watched): void {
    // The last one gone: no timer left to keep a process alive.
    if (this.#watched.delete(watched) && !this.#watched.size) this.arm(Infinity, true);
  }

  /** A deadline moved earlier (a connection was answered): wakes by then. */
  arm(at: number, force?: boolean): void {
    if (at >= this.#at && !force) return;
    const clock = this.#clock;
    clock.clearTimeout(this.#timer);
    this.#at = at;
    // None armed is `undefined`, never a handle: a clock counting handles from 0 would lose
    // someone else's timer when this one is cleared.
    this.#timer =
      at < Infinity ? clock.setTimeout(() => this.#check(), at - clock.now()) : undefined;
  }

  #check(): void {
    this.#at = Infinity;
    const now = this.#clock.now();
    let next = Infinity;
    for (const watched of this.#watched) {
      // Ending one may end others (they leave the set: a Set's iteration allows that).
      if (watched.at <= now) watched.stop();
      else next = Math.min(next, watched.at);
    }
    // Ending one may have ended another already counted in `next`: none left, no timer.
    if (this.#watched.size) this.arm(next);
  }
}

const watchdogs = new WeakMap<Clock, Watchdog>();

/** The watchdog of `clock` (one per clock: tests drive theirs by hand). */
export function watchdogOf(clock: Clock): Watchdog {
  let watchdog = watchdogs.get(clock);
  if (!watchdog) watchdogs.set(clock, (watchdog = new Watchdog(clock)));
  return watchdog;
}

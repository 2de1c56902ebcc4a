import {defaultMaxConnections} from './default-connections.js';

export {DEFAULT_MAX_CONNECTIONS} from './default-connections.js';

/**
 * Connection slots per origin, shared by every stream and manager of a page, and by every
 * tab of the browser profile where Web Locks exist.
 *
 * Over HTTP/1.1 a browser opens at most six connections per host, for all its tabs
 * together; an SSE stream holds one for as long as it lasts. Without a budget, a dozen
 * tracked uploads (or three tabs of four) would starve the page's own requests. Streams
 * beyond the budget wait first come, first served and are shown as waiting.
 *
 * Given a `LockManager` (`navigator.locks`), a slot is also a lock named
 * `upload-progress:<origin>:slot-<i>`, so the budget holds across tabs, and a tab that
 * closes or crashes frees its slots at once (the browser releases its locks). Fairness:
 * each page puts at most one request at a time in one profile-wide queue (the lock
 * `upload-progress:<origin>:queue`, which the browser grants in order), and only the head
 * of that queue asks for a slot, so a tab that opened last is served in its turn.
 */
export class ConnectionBudget {
  /** Per origin: its slots in use, its waiters, the lock round under way. Origins are few. */
  readonly #pools = new Map<string, Pool>();
  readonly #locks: LockManager | undefined;

  /**
   * @param locks - share the budget with every tab of the profile through these Web Locks
   *   (`navigator.locks`); without them the budget is the page's alone.
   */
  constructor(locks?: LockManager) {
    this.#locks = locks;
  }

  /**
   * Asks for a slot on `origin`, granted while fewer than `limit` slots of that origin are
   * in use. `onGrant` is called once granted: synchronously when a slot is free and the
   * budget is the page's, always later when it is shared through Web Locks.
   * @param limit - slots of `origin` at most; `undefined` for the protocol-aware default
   * @returns a ticket whose `release()` gives the slot back, or leaves the queue.
   */
  request(origin: string, limit: number | undefined, onGrant: () => void): ConnectionTicket {
    let pool = this.#pools.get(origin);
    if (!pool) {
      const made: Pool = {origin, active: 0, queue: new Set(), pump: () => this.#pump(made)};
      this.#pools.set(origin, (pool = made));
    }
    const waiter = new Waiter(pool, limit ?? defaultMaxConnections(origin), onGrant);
    pool.queue.add(waiter);
    this.#pump(pool);
    return waiter;
  }

  /** Slots of `origin` this page holds now. */
  active(origin: string): number {
    return this.#pools.get(origin)?.active ?? 0;
  }

  /** Streams of `origin` on this page waiting for a slot. */
  queued(origin: string): number {
    return this.#pools.get(origin)?.queue.size ?? 0;
  }

  #grant(waiter: Waiter): void {
    waiter.pool.queue.delete(waiter);
    waiter.granted = true;
    waiter.pool.active++;
  }

  #pump(pool: Pool): void {
    if (!pool.queue.size) return;
    if (this.#locks) {
      if (!pool.round) void this.#round(pool, this.#locks);
      return;
    }
    const granted: Waiter[] = [];
    for (const waiter of pool.queue) {
      if (pool.active < waiter.limit) {
        this.#grant(waiter);
        granted.push(waiter);
      }
    }
    // Called after the bookkeeping, so a callback that releases or requests sees a
    // consistent budget.
    for (const waiter of granted) waiter.onGrant();
  }

  /**
   * One turn in the profile-wide queue: wait for the queue lock, then for any free slot of
   * the first waiter's limit, and hand that slot to the first waiter still queued.
   */
  async #round(pool: Pool, locks: LockManager): Promise<void> {
    const round = (pool.round = new AbortController());
    const name = `upload-progress:${pool.origin}:`;
    const first = () => pool.queue.values().next().value;
    try {
      await locks.request(`${name}queue`, {signal: round.signal}, async () => {
        const head = first();
        if (!head) return;
        const won = new AbortController();
        await new Promise<void>((resolve) => {
          round.signal.addEventListener('abort', () => resolve(), {once: true});
          for (let i = 0; i < head.limit; i++) {
            locks
              .request(`${name}slot-${i}`, {signal: won.signal}, () => {
                // Two slots can free at once: the second goes straight back.
                if (won.signal.aborted) return;
                won.abort();
                resolve();
                const waiter = first();
                // Nobody waits any more, or the head that asked left for one with a lower
                // limit: the slot goes back, and the next round asks again.
                if (!waiter || i >= waiter.limit) return;
                this.#grant(waiter);
                const held = new Promise<void>((free) => (waiter.free = free));
                waiter.onGrant();
                return held;
              })
              .catch(() => undefined);
          }
        });
        won.abort();
      });
    } catch {
      // Aborted while queued: nobody here waits any more.
    }
    pool.round = undefined;
    this.#pump(pool);
  }
}

/** A place in a {@link ConnectionBudget}: granted now or later, until released. */
export interface ConnectionTicket {
  readonly granted: boolean;
  /**
   * Gives the slot back, or leaves the queue. Idempotent. A method: call it on the ticket
   * (`ticket.release()`, or `() => ticket.release()` as a listener), not detached.
   */
  release(): void;
}

/** One origin's share of the budget. */
interface Pool {
  origin: string;
  /** Slots in use. */
  active: number;
  /** Waiters, first come first served. */
  queue: Set<Waiter>;
  /** The lock round under way: aborted when nobody here waits any more. */
  round?: AbortController | undefined;
  /** Grants what can be granted now (the budget's, for this pool). */
  pump: () => void;
}

/**
 * A request for a slot, and the ticket handed out for it: one small object per stream (a
 * literal with a getter and a closure carried a ~128-byte property array each).
 */
class Waiter implements ConnectionTicket {
  /** Holds a slot now (a data property: no getter to call, nothing per ticket to add it). */
  granted = false;
  declare released: boolean | undefined;
  /** Releases the slot's lock (budgets shared through Web Locks). */
  declare free: (() => void) | undefined;

  constructor(
    readonly pool: Pool,
    readonly limit: number,
    readonly onGrant: () => void,
  ) {}

  release(): void {
    const pool = this.pool;
    if (this.released) return;
    this.released = true;
    if (this.granted) {
      this.granted = false;
      this.free?.();
      pool.active--;
    } else {
      pool.queue.delete(this);
      if (!pool.queue.size) pool.round?.abort();
    }
    // A waiter with a low limit may have been holding back others behind it.
    pool.pump();
  }
}

const SHARED = Symbol.for('upload-progress.connection-budget');

/**
 * The page's budget, shared with every tab of the browser profile through Web Locks where
 * they exist (secure contexts of current browsers), else the page's alone (Node, older
 * browsers, plain-HTTP pages). Kept on `globalThis` under a registered symbol, so two
 * copies of the SDK on one page (an npm bundle and the script tag, say) share one budget.
 */
export function getSharedConnectionBudget(): ConnectionBudget {
  const holder = globalThis as typeof globalThis & {[SHARED]?: ConnectionBudget};
  return (holder[SHARED] ??= new ConnectionBudget(
    (globalThis as {navigator?: {locks?: LockManager}}).navigator?.locks,
  ));
}

/** The origin a URL's connection counts against; relative URLs resolve against the page. */
export function originOf(url: string): string {
  const page = (globalThis as {location?: {href: string; origin: string}}).location;
  // A path on the page's own origin (the usual progress URL) needs no URL parse: ~12 µs a
  // stream start, and a thrown TypeError each in Node. Not for `//host`, nor `/\host` or
  // `/<tab>/host`, which the URL parser reads as another host.
  if (url[0] === '/' && !'/\\\t\n\r'.includes(url[1] ?? '/')) return page?.origin ?? 'null';
  try {
    return new URL(url, page?.href).origin;
  } catch {
    return 'null';
  }
}

/**
 * Connection slots per origin, shared by every stream and manager of a page.
 *
 * Over HTTP/1.1 a browser opens at most six connections per host; an SSE stream holds one
 * for as long as it lasts. Without a budget, a dozen tracked uploads would starve the
 * page's own requests (and each other). Streams beyond the budget wait in a first-come,
 * first-served queue and are shown as waiting.
 */
export class ConnectionBudget {
  readonly #active = new Map<string, number>();
  readonly #queues = new Map<string, Set<Waiter>>();

  /**
   * Asks for a slot on `origin`, granted while fewer than `limit` slots of that origin are
   * in use. `onGrant` is called (synchronously if a slot is free) once granted.
   * @returns a ticket whose `release()` gives the slot back, or leaves the queue.
   */
  request(origin: string, limit: number, onGrant: () => void): ConnectionTicket {
    const waiter: Waiter = {origin, limit, onGrant, state: 'queued'};
    const ticket: ConnectionTicket = {
      get granted() {
        return waiter.state === 'granted';
      },
      release: () => this.#release(waiter),
    };
    let queue = this.#queues.get(origin);
    if (!queue) this.#queues.set(origin, (queue = new Set()));
    queue.add(waiter);
    this.#pump(origin);
    return ticket;
  }

  /** Slots of `origin` in use now. */
  active(origin: string): number {
    return this.#active.get(origin) ?? 0;
  }

  /** Streams of `origin` waiting for a slot. */
  queued(origin: string): number {
    return this.#queues.get(origin)?.size ?? 0;
  }

  #release(waiter: Waiter): void {
    if (waiter.state === 'queued') {
      waiter.state = 'released';
      this.#queues.get(waiter.origin)?.delete(waiter);
      // A waiter with a low limit may have been holding back others behind it.
      this.#pump(waiter.origin);
    } else if (waiter.state === 'granted') {
      waiter.state = 'released';
      const left = (this.#active.get(waiter.origin) ?? 1) - 1;
      if (left > 0) this.#active.set(waiter.origin, left);
      else this.#active.delete(waiter.origin);
      this.#pump(waiter.origin);
    }
  }

  #pump(origin: string): void {
    const queue = this.#queues.get(origin);
    if (!queue) return;
    const granted: Waiter[] = [];
    let active = this.#active.get(origin) ?? 0;
    for (const waiter of queue) {
      if (active < waiter.limit) {
        queue.delete(waiter);
        waiter.state = 'granted';
        active++;
        granted.push(waiter);
      }
    }
    if (active > 0) this.#active.set(origin, active);
    if (queue.size === 0) this.#queues.delete(origin);
    // Called after the bookkeeping, so a callback that releases or requests sees a
    // consistent budget.
    for (const waiter of granted) waiter.onGrant();
  }
}

/** A place in a {@link ConnectionBudget}: granted now or later, until released. */
export interface ConnectionTicket {
  readonly granted: boolean;
  /** Gives the slot back, or leaves the queue. Idempotent. */
  release(): void;
}

interface Waiter {
  origin: string;
  limit: number;
  onGrant: () => void;
  state: 'queued' | 'granted' | 'released';
}

const SHARED = Symbol.for('upload-progress.connection-budget');

/**
 * The page's budget. Kept on `globalThis` under a registered symbol, so two copies of the
 * SDK on one page (an npm bundle and the script tag, say) still share one budget.
 */
export function getSharedConnectionBudget(): ConnectionBudget {
  const holder = globalThis as typeof globalThis & {[SHARED]?: ConnectionBudget};
  return (holder[SHARED] ??= new ConnectionBudget());
}

/** The default number of progress streams per origin. */
export const DEFAULT_MAX_CONNECTIONS = 4;

/** The origin a URL's connection counts against; relative URLs resolve against the page. */
export function originOf(url: string): string {
  try {
    const base = (globalThis as {location?: {href?: string}}).location?.href;
    return new URL(url, base).origin;
  } catch {
    return 'null';
  }
}

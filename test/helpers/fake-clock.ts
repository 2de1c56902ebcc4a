import type {Clock} from '../../src/index.js';

/**
 * Time the test moves by hand. Timers fire in order as `advance()` passes them; promise
 * jobs and a task run between them, so code woken by one timer can schedule the next.
 */
export class FakeClock implements Clock {
  #now = Date.parse('2026-11-24T10:00:00Z');
  #nextId = 1;
  readonly #timers = new Map<number, {at: number; callback: () => void}>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, {at: this.#now + Math.max(0, ms), callback});
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Delays of the pending timers, from now. */
  pending(): number[] {
    return [...this.#timers.values()].map((t) => t.at - this.#now).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      let next: [number, {at: number; callback: () => void}] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.#now = target;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

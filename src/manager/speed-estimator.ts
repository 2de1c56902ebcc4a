/** How fast the smoothed rate follows a change: half of it shows after this many ms. */
const HALF_LIFE = 3000;
/** Samples closer together than this are folded into the next one. */
const MIN_INTERVAL = 250;
/** How long it watches before it says anything: a first burst of events shows a wild figure. */
const WARMUP = 1000;

/**
 * A smoothed rate of bytes per second: an exponential moving average weighted by time, so
 * uneven sampling does not skew it. It says nothing (`null`) until it has watched for
 * {@link WARMUP} ms.
 */
export class SpeedEstimator {
  #startedAt: number | undefined;
  #lastAt = 0;
  #lastBytes = 0;
  #rate: number | null = null;

  /**
   * Records that `bytes` (a running total that only grows) were reached at `now`.
   * @returns the smoothed rate in bytes per second, or `null` while unknown
   */
  sample(bytes: number, now: number): number | null {
    if (this.#startedAt === undefined) {
      this.#startedAt = this.#lastAt = now;
      this.#lastBytes = bytes;
      return null;
    }
    const elapsed = now - this.#lastAt;
    if (elapsed >= MIN_INTERVAL) {
      const instant = ((bytes - this.#lastBytes) / elapsed) * 1000;
      const weight = 1 - 2 ** (-elapsed / HALF_LIFE);
      this.#rate = this.#rate === null ? instant : this.#rate + weight * (instant - this.#rate);
      this.#lastAt = now;
      this.#lastBytes = bytes;
    }
    return now - this.#startedAt >= WARMUP ? this.#rate : null;
  }

  /** Forgets everything (a new batch starts after a pause). */
  reset(): void {
    this.#startedAt = undefined;
    this.#rate = null;
  }
}

/**
 * A smoothed rate of bytes per second: an exponential moving average weighted by time, so
 * uneven sampling does not skew it. It says nothing (`null`) until it has watched for
 * `warmup` ms: a first burst of events would otherwise show a wild figure.
 */
export class SpeedEstimator {
  readonly #halfLife: number;
  readonly #minInterval: number;
  readonly #warmup: number;
  #startedAt: number | undefined;
  #lastAt = 0;
  #lastBytes = 0;
  #rate: number | null = null;

  constructor({halfLife = 3000, minInterval = 250, warmup = 1000} = {}) {
    this.#halfLife = halfLife;
    this.#minInterval = minInterval;
    this.#warmup = warmup;
  }

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
    if (elapsed >= this.#minInterval) {
      const instant = ((bytes - this.#lastBytes) / elapsed) * 1000;
      const weight = 1 - 2 ** (-elapsed / this.#halfLife);
      this.#rate = this.#rate === null ? instant : this.#rate + weight * (instant - this.#rate);
      this.#lastAt = now;
      this.#lastBytes = bytes;
    }
    return now - this.#startedAt >= this.#warmup ? this.#rate : null;
  }

  /** Forgets everything (a new batch starts after a pause). */
  reset(): void {
    this.#startedAt = undefined;
    this.#rate = null;
  }
}

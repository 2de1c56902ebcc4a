/**
 * Heights of a list's rows by position, with their running sums kept in a Fenwick tree: the
 * offset of any row, the row at any offset and a row's new height each cost O(log n), so a
 * list of 30,000 rows of differing heights scrolls as cheaply as one of 10. Rows never
 * measured count as `estimate`.
 */
export class RowHeights {
  readonly length: number;
  readonly #heights: Float64Array;
  readonly #tree: Float64Array;

  constructor(heights: ArrayLike<number>) {
    const n = (this.length = heights.length);
    this.#heights = Float64Array.from(heights);
    const tree = (this.#tree = new Float64Array(n + 1));
    // Linear-time build: each node hands its sum to its parent.
    for (let i = 1; i <= n; i++) {
      tree[i]! += this.#heights[i - 1]!;
      const parent = i + (i & -i);
      if (parent <= n) tree[parent]! += tree[i]!;
    }
  }

  /** The height of row `i`. */
  get(i: number): number {
    return this.#heights[i] ?? 0;
  }

  /** Sets row `i`'s height; says whether it changed. */
  set(i: number, height: number): boolean {
    const delta = height - (this.#heights[i] ?? height);
    if (!delta) return false;
    this.#heights[i] = height;
    for (let j = i + 1; j <= this.length; j += j & -j) this.#tree[j]! += delta;
    return true;
  }

  /** Where row `i` starts: the heights of the rows before it (`i = length`: the total). */
  offset(i: number): number {
    let sum = 0;
    for (let j = Math.min(i, this.length); j > 0; j -= j & -j) sum += this.#tree[j]!;
    return sum;
  }

  /** The row at offset `y` (clamped to the rows there are; -1 when there are none). */
  at(y: number): number {
    let i = 0;
    let rest = y;
    for (let step = 2 ** Math.floor(Math.log2(this.length || 1)); step; step >>= 1) {
      const next = i + step;
      if (next <= this.length && this.#tree[next]! <= rest) {
        i = next;
        rest -= this.#tree[next]!;
      }
    }
    return Math.min(i, this.length - 1);
  }
}

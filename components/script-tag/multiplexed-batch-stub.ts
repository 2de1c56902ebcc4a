// The script-tag build only (rollup.config.mjs): stands in for src/manager/multiplexed-batch.ts,
// whose code (and what only it needs: the multiplexed URL, routing by upload_id) sits in the
// sibling file upload-progress.multiplexed.min.js, loaded when the first batch starts. Only
// pages that set `multiplexUrl` download it; the batch starts once it is there (a network
// wait like the stream's own), and if it cannot be loaded the uploads are followed one
// stream each, as for a server without a multiplexed endpoint.
import type * as Batch from '../../src/manager/multiplexed-batch.js';

type Real = Batch.MultiplexedBatch;
type Args = ConstructorParameters<typeof Batch.MultiplexedBatch>;

let loading: Promise<typeof Batch> | undefined;

/** `MultiplexedBatch` of the script tag: the real one once its sibling is loaded. */
export class MultiplexedBatch {
  readonly #ids: Set<string>;
  #real: Real | undefined;
  #closed = false;

  constructor(base: Args[0], uploads: Args[1], options: Args[2], sink: Args[3]) {
    const known = new Map(uploads);
    this.#ids = new Set(known.keys());
    loading ??= import('../../src/manager/multiplexed-batch.js');
    loading.then(
      (module) => {
        if (this.#closed) return;
        const left = [...this.#ids].map((id): [string, Batch.Known] => [id, known.get(id)!]);
        this.#real = new module.MultiplexedBatch(base, left, options, sink);
      },
      () => {
        // Tried again by the next batch; these uploads get a stream each.
        loading = undefined;
        if (!this.#closed) sink.done([...this.#ids]);
      },
    );
  }

  /** See MultiplexedBatch.remove. */
  remove(id: string): boolean {
    if (this.#real) return this.#real.remove(id);
    if (!this.#ids.delete(id) || this.#ids.size > 0) return false;
    this.close();
    return true;
  }

  /** See MultiplexedBatch.close. */
  close(): void {
    this.#closed = true;
    this.#real?.close();
  }
}

// A scripted manager for the element tests: the shape the elements use (track, subscribe,
// getSnapshot), with entries the test sets by hand and listeners told once per microtask,
// like the real one.
import 'axe-core';
import type {AxeResults, ElementContext, RunOptions} from 'axe-core';
import type {
  ConnectionState,
  TrackedUpload,
  UploadEntry,
  UploadProgress,
  UploadProgressSnapshot,
} from '../../src/index.js';

export class FakeManager {
  /** Every `track()` call's ids. */
  readonly tracked: string[][] = [];
  bytesPerSecond: number | null = null;
  /** Snapshots built: once per change that someone read. */
  builds = 0;
  readonly #entries = new Map<string, UploadEntry>();
  readonly #listeners = new Set<(snapshot: UploadProgressSnapshot) => void>();
  #snapshot: UploadProgressSnapshot | undefined;
  #scheduled = false;

  get listenerCount(): number {
    return this.#listeners.size;
  }

  track(uploads: Iterable<TrackedUpload>): void {
    const list = [...uploads];
    const ids = list.map((u) => (typeof u === 'string' ? u : u.upload_id));
    this.tracked.push(ids);
    for (const upload of list) {
      const known = typeof upload === 'string' ? {upload_id: upload} : upload;
      if (!this.#entries.has(known.upload_id)) {
        this.#entries.set(known.upload_id, {
          uploadId: known.upload_id,
          progress: null,
          filename: known.filename ?? null,
          totalBytes: known.total_bytes ?? null,
          connection: 'waiting',
        });
      }
    }
    this.#changed();
  }

  untrack(id: string): void {
    if (this.#entries.delete(id)) this.#changed();
  }

  subscribe(listener: (snapshot: UploadProgressSnapshot) => void): () => void {
    this.#listeners.add(listener);
    listener(this.getSnapshot());
    return () => void this.#listeners.delete(listener);
  }

  getSnapshot(): UploadProgressSnapshot {
    return (this.#snapshot ??= this.#build());
  }

  /** Sets what is known of an upload (tracking it if needed). */
  set(
    id: string,
    progress: Partial<UploadProgress> | null,
    connection: ConnectionState = progress ? 'open' : 'waiting',
  ): void {
    const record: UploadProgress | null = progress && {
      upload_id: id,
      filename: 'file.bin',
      total_bytes: 1000,
      uploaded_bytes: 0,
      status: 'uploading',
      error: null,
      progress_percentage: 0,
      ...progress,
    };
    const settled = record && record.status !== 'uploading';
    this.#entries.set(id, {
      uploadId: id,
      progress: record,
      filename: record?.filename ?? null,
      totalBytes: record?.total_bytes ?? null,
      connection: settled ? 'closed' : connection,
    });
    this.#changed();
  }

  #changed(): void {
    this.#snapshot = undefined;
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      for (const listener of this.#listeners) listener(this.getSnapshot());
    });
  }

  #build(): UploadProgressSnapshot {
    this.builds++;
    const uploads = new Map(this.#entries);
    const progressMap = new Map<string, UploadProgress>();
    let completed = 0;
    let failed = 0;
    let uploading = 0;
    let waiting = 0;
    let uploadedBytes = 0;
    let totalBytes = 0;
    let left = 0;
    for (const entry of uploads.values()) {
      const p = entry.progress;
      if (p) progressMap.set(entry.uploadId, p);
      if (p?.status === 'completed') completed++;
      else if (p?.status === 'failed') failed++;
      else if (p) uploading++;
      if (entry.connection === 'waiting') waiting++;
      uploadedBytes += p?.uploaded_bytes ?? 0;
      totalBytes += entry.totalBytes ?? 0;
      if (p?.status !== 'completed' && p?.status !== 'failed')
        left += (entry.totalBytes ?? 0) - (p?.uploaded_bytes ?? 0);
    }
    const total = uploads.size;
    const allCompleted = total > 0 && completed === total;
    return {
      progressMap,
      uploads,
      overallPercentage: allCompleted ? 100 : totalBytes ? (uploadedBytes / totalBytes) * 100 : 0,
      allCompleted,
      allSettled: total > 0 && completed + failed === total,
      total,
      pending: total - progressMap.size,
      uploading,
      completed,
      failed,
      waiting,
      uploadedBytes,
      totalBytes,
      bytesPerSecond: this.bytesPerSecond,
      etaSeconds: this.bytesPerSecond ? left / this.bytesPerSecond : null,
    };
  }
}

/**
 * Resolves after the next animation frame (the elements render at most once per frame), or
 * after 70 ms in a page the runner keeps in the background, which gets no frames (the
 * elements fall back to a 50 ms timer there).
 */
export const nextFrame = (): Promise<void> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => resolve());
    setTimeout(resolve, 70);
  });

/** Lets the manager's microtask, the element's frame and its update run. */
export async function rendered(...elements: {updateComplete: Promise<boolean>}[]): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await Promise.resolve();
    await nextFrame();
    for (const element of elements) await element.updateComplete;
  }
}

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}

/** Serious and critical axe-core violations in `context`, as readable strings. */
export async function axeViolations(
  context: ElementContext,
  options: RunOptions = {},
): Promise<string[]> {
  const results: AxeResults = await window.axe.run(context, options);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

import {resolveOptions, type AdvancedOptions} from './resolve-options.js';
import {ProgressMapView, UploadsView, type SnapshotFrame} from './snapshot-views.js';
import {SpeedEstimator} from './speed-estimator.js';
import {callSafely, UploadProgressStream} from './upload-progress-stream.js';
import type {
  ConnectionState,
  ProgressOptions,
  TrackedUpload,
  UploadEntry,
  UploadProgress,
  UploadProgressSnapshot,
} from './types.js';

/** Options of {@link UploadProgressManager}. */
export interface UploadProgressManagerOptions extends ProgressOptions, AdvancedOptions {
  /**
   * How listeners are told of changes: many events become one call. The default runs once
   * per task (a microtask); pass `requestAnimationFrame` to get one call per frame.
   */
  schedule?: (flush: () => void) => void;
}

/** One tracked upload while it is in flight. */
interface Live {
  readonly id: string;
  stream: UploadProgressStream;
  stop: () => void;
  filename: string | null;
  totalBytes: number | null;
  /** The size came from the server or from `track()`, not an estimate. */
  sizeKnown: boolean;
  progress: UploadProgress | null;
  connection: ConnectionState;
  entry: UploadEntry;
}

/** Byte and count sums of settled uploads: they only ever grow, until an untrack. */
interface SettledSums {
  completed: number;
  failed: number;
  uploaded: number;
  knownTotal: number;
  knownCount: number;
  /** Failed before their size was ever known. */
  unknownCount: number;
}

const EMPTY_SUMS: SettledSums = {
  completed: 0,
  failed: 0,
  uploaded: 0,
  knownTotal: 0,
  knownCount: 0,
  unknownCount: 0,
};

/**
 * Many uploads at once, with one aggregate snapshot.
 *
 * Each tracked upload gets an {@link UploadProgressStream}; the manager folds their records
 * into a snapshot that is rebuilt only when read after a change, and tells listeners once
 * per task however many events arrived. Settled uploads keep a small record and release
 * their stream, so thousands of finished uploads cost neither memory nor time per event.
 *
 * @example
 * const manager = new UploadProgressManager();
 * manager.track(result.upload_ids);
 * manager.subscribe(({overallPercentage, allSettled}) => {
 *   bar.value = overallPercentage;
 *   if (allSettled) done();
 * });
 */
export class UploadProgressManager {
  readonly #options: UploadProgressManagerOptions;
  readonly #schedule: (flush: () => void) => void;
  /** Each listener with the snapshot it was last given. */
  readonly #listeners = new Map<
    (snapshot: UploadProgressSnapshot) => void,
    UploadProgressSnapshot
  >();
  readonly #live = new Map<string, Live>();
  readonly #speed = new SpeedEstimator();
  #order: readonly string[] = [];
  #settled: UploadEntry[] = [];
  #settledIndex = new Map<string, number>();
  #settledSized: boolean[] = [];
  #sums: SettledSums = {...EMPTY_SUMS};
  /** Bytes gained by any upload since the manager was made: the speed's input. */
  #progressed = 0;
  #snapshot: UploadProgressSnapshot | null = null;
  #scheduled = false;

  /** @throws RangeError/TypeError for options that cannot work (checked here, not later). */
  constructor(options: UploadProgressManagerOptions = {}) {
    resolveOptions(options);
    this.#options = {...options};
    // Called as a plain function: `queueMicrotask` and `requestAnimationFrame` throw
    // "Illegal invocation" when called as methods of anything but the global object.
    const schedule = options.schedule ?? queueMicrotask;
    this.#schedule = (flush) => schedule(flush);
    options.signal?.addEventListener('abort', () => this.closeAll(), {once: true});
  }

  /**
   * Starts following uploads: ids from the server's `upload_ids`, or objects that also give
   * the filename and size, so a row can show them before the first record. Ids tracked
   * already are left as they are (their known name and size are filled in if missing).
   */
  track(uploads: Iterable<TrackedUpload>): void {
    if (this.#options.signal?.aborted) return;
    const added: string[] = [];
    for (const upload of uploads) {
      const {id, filename, totalBytes} = readTracked(upload);
      const live = this.#live.get(id);
      if (live) {
        this.#learn(live, filename, totalBytes);
        continue;
      }
      if (this.#settledIndex.has(id) || added.includes(id)) continue;
      // A new batch after a pause: the idle time must not drag the speed down.
      if (this.#live.size === 0 && added.length === 0) this.#speed.reset();
      added.push(id);
      this.#live.set(id, this.#open(id, filename, totalBytes));
    }
    if (added.length > 0) {
      this.#order = [...this.#order, ...added];
      this.#changed();
    }
  }

  /** Stops following one upload and forgets it. */
  untrack(uploadId: string): void {
    const live = this.#live.get(uploadId);
    if (live) {
      live.stop();
      live.stream.close();
      this.#live.delete(uploadId);
    } else if (this.#settledIndex.has(uploadId)) {
      this.#rebuildSettled((id) => id !== uploadId);
    } else {
      return;
    }
    this.#order = this.#order.filter((id) => id !== uploadId);
    this.#changed();
  }

  /** Closes every connection and forgets every upload. Listeners stay subscribed. */
  closeAll(): void {
    if (this.#order.length === 0) return;
    for (const live of this.#live.values()) {
      live.stop();
      live.stream.close();
    }
    this.#live.clear();
    this.#rebuildSettled(() => false);
    this.#order = [];
    this.#changed();
  }

  /**
   * Calls `listener` at once with the current snapshot, then after changes (at most once
   * per task, see the `schedule` option).
   * @returns a function that unsubscribes
   */
  subscribe(listener: (snapshot: UploadProgressSnapshot) => void): () => void {
    const snapshot = this.getSnapshot();
    this.#listeners.set(listener, snapshot);
    listener(snapshot);
    return () => void this.#listeners.delete(listener);
  }

  /** The current snapshot: the same object until something changes. */
  getSnapshot(): UploadProgressSnapshot {
    return (this.#snapshot ??= this.#build());
  }

  /** The stream of an upload still in flight (for its events), or `undefined`. */
  getStream(uploadId: string): UploadProgressStream | undefined {
    return this.#live.get(uploadId)?.stream;
  }

  #open(id: string, filename: string | null, totalBytes: number | null): Live {
    const stream = new UploadProgressStream(id, {
      ...this.#options,
      signal: undefined,
      known: {filename: filename ?? undefined, total_bytes: totalBytes ?? undefined},
    });
    const live: Live = {
      id,
      stream,
      stop: () => undefined,
      filename,
      totalBytes,
      sizeKnown: totalBytes !== null,
      progress: null,
      connection: stream.state,
      entry: {uploadId: id, progress: null, filename, totalBytes, connection: stream.state},
    };
    const onState = () => this.#update(live, live.progress, stream.state);
    stream.addEventListener('statechange', onState);
    const unsubscribe = stream.subscribe((progress) => {
      if (progress) this.#update(live, progress, stream.state);
    });
    live.stop = () => {
      unsubscribe();
      stream.removeEventListener('statechange', onState);
    };
    return live;
  }

  #learn(live: Live, filename: string | null, totalBytes: number | null): void {
    let changed = false;
    if (filename !== null && live.filename === null) {
      live.filename = filename;
      changed = true;
    }
    if (totalBytes !== null && !live.sizeKnown) {
      live.totalBytes = totalBytes;
      live.sizeKnown = true;
      changed = true;
    }
    if (changed) this.#update(live, live.progress, live.connection);
  }

  #update(live: Live, progress: UploadProgress | null, connection: ConnectionState): void {
    if (this.#live.get(live.id) !== live) return;
    if (progress) {
      const before = live.progress?.uploaded_bytes ?? 0;
      if (progress.uploaded_bytes > before) this.#progressed += progress.uploaded_bytes - before;
      live.progress = progress;
      live.filename = progress.filename || live.filename;
      // A size of 0 is only trusted once completed (an empty file): before that it may
      // mean "not known yet", and the upload is sized like the others.
      if (progress.total_bytes > 0 || progress.status === 'completed') {
        live.totalBytes = progress.total_bytes;
        live.sizeKnown = true;
      }
    }
    const settled = progress !== null && progress.status !== 'uploading';
    live.connection = settled ? 'closed' : connection;
    live.entry = {
      uploadId: live.id,
      progress: live.progress,
      filename: live.filename,
      totalBytes: live.sizeKnown ? live.totalBytes : null,
      connection: live.connection,
    };
    if (settled) this.#settle(live);
    this.#changed();
  }

  #settle(live: Live): void {
    live.stop();
    this.#live.delete(live.id);
    this.#settledIndex.set(live.id, this.#settled.length);
    this.#settled.push(live.entry);
    this.#settledSized.push(live.sizeKnown);
    this.#sums = addSettled(this.#sums, live.entry, live.sizeKnown);
  }

  /** Starts a new settled log generation, so snapshots already handed out keep theirs. */
  #rebuildSettled(keep: (id: string) => boolean): void {
    const settled: UploadEntry[] = [];
    const sized: boolean[] = [];
    const index = new Map<string, number>();
    let sums = EMPTY_SUMS;
    this.#settled.forEach((entry, i) => {
      if (!keep(entry.uploadId)) return;
      index.set(entry.uploadId, settled.length);
      settled.push(entry);
      sized.push(this.#settledSized[i]!);
      sums = addSettled(sums, entry, this.#settledSized[i]!);
    });
    this.#settled = settled;
    this.#settledSized = sized;
    this.#settledIndex = index;
    this.#sums = sums;
  }

  #changed(): void {
    this.#snapshot = null;
    if (this.#scheduled || this.#listeners.size === 0) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      const snapshot = this.getSnapshot();
      for (const [listener, seen] of this.#listeners) {
        if (seen === snapshot || !this.#listeners.has(listener)) continue;
        this.#listeners.set(listener, snapshot);
        callSafely(listener, snapshot);
      }
    });
  }

  #build(): UploadProgressSnapshot {
    const s = this.#sums;
    let uploaded = s.uploaded;
    let knownTotal = s.knownTotal;
    let knownCount = s.knownCount;
    let unknownCount = s.unknownCount;
    let uploading = 0;
    let pending = 0;
    let waiting = 0;
    const inFlight = new Map<string, UploadEntry>();
    for (const live of this.#live.values()) {
      inFlight.set(live.id, live.entry);
      if (live.progress) uploading++;
      else pending++;
      if (live.connection === 'waiting') waiting++;
      if (live.sizeKnown) {
        knownTotal += live.totalBytes ?? 0;
        knownCount++;
        uploaded += live.progress?.uploaded_bytes ?? 0;
      } else {
        unknownCount++;
      }
    }
    const total = this.#order.length;
    const allCompleted = total > 0 && s.completed === total;
    const allSettled = total > 0 && s.completed + s.failed === total;
    const mean = knownCount > 0 ? knownTotal / knownCount : 0;
    const totalBytes = knownTotal + unknownCount * mean;
    let overallPercentage = 0;
    if (allCompleted) overallPercentage = 100;
    else if (totalBytes > 0) {
      // Short of 100 until every upload completed: a bar at 100 must mean done.
      overallPercentage = Math.min(99.99, (uploaded / totalBytes) * 100);
    }
    const now = (this.#options.clock ?? Date).now();
    const rate = allSettled || total === 0 ? null : this.#speed.sample(this.#progressed, now);
    const bytesPerSecond = rate === null ? null : Math.max(0, rate);
    const left = Math.max(0, totalBytes - uploaded);
    const etaSeconds = allSettled
      ? 0
      : bytesPerSecond && bytesPerSecond > 0
        ? left / bytesPerSecond
        : null;

    const frame: SnapshotFrame = {
      order: this.#order,
      settledIndex: this.#settledIndex,
      settled: this.#settled,
      settledCount: this.#settled.length,
      inFlight,
    };
    return Object.freeze({
      progressMap: new ProgressMapView(frame, uploading + s.completed + s.failed),
      uploads: new UploadsView(frame),
      overallPercentage,
      allCompleted,
      allSettled,
      total,
      pending,
      uploading,
      completed: s.completed,
      failed: s.failed,
      waiting,
      uploadedBytes: uploaded,
      totalBytes,
      bytesPerSecond,
      etaSeconds,
    });
  }
}

function addSettled(sums: SettledSums, entry: UploadEntry, sized: boolean): SettledSums {
  const progress = entry.progress!;
  return {
    completed: sums.completed + (progress.status === 'completed' ? 1 : 0),
    failed: sums.failed + (progress.status === 'failed' ? 1 : 0),
    uploaded: sums.uploaded + (sized ? progress.uploaded_bytes : 0),
    knownTotal: sums.knownTotal + (sized ? (entry.totalBytes ?? 0) : 0),
    knownCount: sums.knownCount + (sized ? 1 : 0),
    unknownCount: sums.unknownCount + (sized ? 0 : 1),
  };
}

function readTracked(upload: TrackedUpload): {
  id: string;
  filename: string | null;
  totalBytes: number | null;
} {
  const id = typeof upload === 'string' ? upload : upload?.upload_id;
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(
      `track() takes upload ids (non-empty strings) or {upload_id, filename?, total_bytes?}; got ${JSON.stringify(upload)}.`,
    );
  }
  if (typeof upload === 'string') return {id, filename: null, totalBytes: null};
  const size = upload.total_bytes;
  return {
    id,
    filename: typeof upload.filename === 'string' && upload.filename ? upload.filename : null,
    totalBytes:
      typeof size === 'number' && Number.isFinite(size) && size >= 0
        ? Math.min(Math.floor(size), Number.MAX_SAFE_INTEGER)
        : null,
  };
}

let shared: UploadProgressManager | undefined;

/**
 * The page's shared manager (made on first use), which the elements use unless given
 * another. Its options are the defaults; make your own manager for other options.
 */
export function getUploadProgressManager(): UploadProgressManager {
  return (shared ??= new UploadProgressManager());
}

import {resolveOptions, type ResolvedOptions} from '../stream/resolve-options.js';
import {must} from '../transport/retry-policy.js';
import type {UploadProgressManagerOptions} from './manager-options.js';
import {buildSnapshot} from './snapshot-views.js';
import {SpeedEstimator} from './speed-estimator.js';
import {FollowQueue} from './follow-queue.js';
import {Backlog} from './backlog.js';
import {InFlight, newLive, WAITING, type Live} from './in-flight.js';
import {readTracked, readTransferred} from './settled-sums.js';
import {SettledLog} from './settled-log.js';
import {transferHandle} from './transfer-handle.js';
import {callSafely, type UploadProgressStream} from '../stream/upload-progress-stream.js';
import type {
  ConnectionState,
  TrackedUpload,
  TransferHandle,
  TransferredFile,
  UploadProgress,
  UploadProgressSnapshot,
} from '../types.js';

export type {UploadProgressManagerOptions} from './manager-options.js';

/** Unique across managers, so a list given keys of one manager never shows another's. */
let localKeys = 0;

/**
 * Many uploads at once, with one aggregate snapshot.
 *
 * Each tracked upload gets an {@link UploadProgressStream}; the manager folds their records
 * into a snapshot that is rebuilt only when read after a change, and tells listeners once
 * per task however many events arrived. Settled uploads keep a small record and release
 * their stream, so thousands of finished uploads cost neither memory nor time per event.
 *
 * Files this page is still sending (see `uploadFiles()`) are tracked before the server has
 * an id for them, through {@link trackTransfers}.
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
  /** The options checked, defaults filled in (its signal and clock are the user's). */
  readonly #options: ResolvedOptions;
  readonly #schedule: (flush: () => void) => void;
  /** Each listener with the snapshot it was last given. */
  readonly #listeners = new Map<
    (snapshot: UploadProgressSnapshot) => void,
    UploadProgressSnapshot
  >();
  readonly #flight: InFlight;
  /** The uploads in flight (written through `#flight`). */
  readonly #live: ReadonlyMap<string, Live>;
  readonly #speed = new SpeedEstimator();
  readonly #follow: FollowQueue;
  /** Uploads tracked by id not given a record yet (see {@link Backlog}). */
  readonly #backlog = new Backlog();
  #order: readonly string[] = [];
  /** Local keys whose server id arrived, not yet replaced in `#order` (done once per read). */
  readonly #renames = new Map<string, string>();
  /** Local key → server id; replaced, never shrunk, so snapshots handed out keep theirs. */
  #aliases = new Map<string, string>();
  readonly #settled: SettledLog;
  /** Bytes moved (sent or processed) since the manager was made: the speed's input. */
  #progressed = 0;
  #snapshot: UploadProgressSnapshot | null = null;
  #scheduled = false;

  /** @throws RangeError/TypeError for options that cannot work (checked here, not later). */
  constructor(options: UploadProgressManagerOptions = {}) {
    const resolved = resolveOptions(options);
    if (options.multiplexUrl !== undefined && typeof options.multiplexUrl !== 'string') {
      throw new TypeError(
        `multiplexUrl must be a URL string, got a ${typeof options.multiplexUrl}.`,
      );
    }
    const share = options.transferShare ?? 0.5;
    must(share >= 0 && share <= 1, 'transferShare', share, 'a number from 0 to 1');
    this.#flight = new InFlight(share);
    this.#settled = new SettledLog(share);
    this.#live = this.#flight.live;
    this.#options = resolved;
    // Called as a plain function: `queueMicrotask` and `requestAnimationFrame` throw
    // "Illegal invocation" when called as methods of anything but the global object.
    const schedule = options.schedule ?? queueMicrotask;
    this.#schedule = (flush) => schedule(flush);
    options.signal?.addEventListener('abort', () => this.closeAll(), {once: true});
    this.#follow = new FollowQueue(options, resolved, {
      known: (id) => {
        // Its turn came: its record is made now.
        const live = this.#live.get(id) ?? this.#take(id);
        return {filename: live?.filename ?? undefined, total_bytes: live?.totalBytes ?? undefined};
      },
      update: (id, progress, state) => {
        const live = this.#live.get(id);
        if (live) this.#update(live, progress ?? live.progress, state);
      },
    });
  }

  /**
   * Starts following uploads: ids from the server's `upload_ids`, or objects that also give
   * the filename and size, so a row can show them before the first record. Ids tracked
   * already are left as they are (their known name and size are filled in if missing).
   */
  track(uploads: Iterable<TrackedUpload>): void {
    if (this.#options.signal?.aborted) return;
    // An id twice in `uploads` is in the backlog from its first time on: no set of its own needed.
    const added: string[] = [];
    const idle = this.#idle();
    const backlog = this.#backlog;
    // Per id, only what must be known at once (a valid id, not tracked yet): its record is
    // made when its turn to be followed comes (10,000 at once took 20-40 ms on a cold page).
    for (const upload of uploads) {
      // A plain id (the usual case) makes no object of its own.
      const read = typeof upload === 'string' && upload !== '' ? null : readTracked(upload);
      const given = read ? read.id : (upload as string);
      const id = this.#aliases.get(given) ?? given;
      // Given a name or a size, one still waiting gets its record now, to learn them.
      if (backlog.has(id) && (!read || !this.#take(id))) continue;
      const live = this.#live.get(id);
      if (live) {
        if (read) this.#learn(live, read.filename, read.totalBytes);
        continue;
      }
      if (this.#settled.has(id)) continue;
      added.push(id);
      // Only plain ids wait without a record (with a name or a size, it is made now).
      if (read) this.#flight.put(newLive(id, read.filename, read.totalBytes, null, true));
      else backlog.add(id);
    }
    if (added.length > 0) {
      // A new batch after a pause: the idle time must not drag the speed down.
      if (idle) this.#speed.reset();
      this.#order = this.#currentOrder().concat(added);
      // Only the first few start now; the rest wait their turn in the queue.
      this.#follow.add(added);
      this.#changed();
    }
  }

  /**
   * Starts showing files this page is sending, before the server has ids for them: each is
   * listed under a local key, in phase `transferring`, with its name and size. The handles
   * report the bytes sent, then attach the server's id (the entry moves to that id and its
   * progress stream opens; the local key stays valid as an alias) or end the file `failed`.
   * `uploadFiles()` does all this; use it directly only for transfers of your own making.
   *
   * @example
   * const [handle] = manager.trackTransfers([{filename: file.name, total_bytes: file.size}]);
   * xhr.upload.onprogress = (event) => handle.progress(event.loaded);
   * xhr.onload = () => handle.attach(JSON.parse(xhr.responseText).upload_ids[0]);
   * xhr.onerror = () => handle.fail('Network error');
   * @throws TypeError for a file without a name or a size
   */
  trackTransfers(files: Iterable<TransferredFile>): TransferHandle[] {
    const handles: TransferHandle[] = [];
    const added: string[] = [];
    const idle = this.#idle();
    for (const file of files) {
      const {filename, totalBytes} = readTransferred(file);
      const key = `local:${++localKeys}`;
      const live = newLive(key, filename, totalBytes, 0);
      handles.push(
        transferHandle(
          live,
          this.#live,
          this.#settled,
          (live, before, settled) => this.#refresh(live, before, settled),
          (live, uploadId) => this.#attach(live, uploadId),
        ),
      );
      if (this.#options.signal?.aborted) continue;
      this.#flight.put(live);
      added.push(key);
    }
    if (added.length > 0) {
      if (idle) this.#speed.reset();
      this.#order = this.#currentOrder().concat(added);
      this.#changed();
    }
    return handles;
  }

  /**
   * Stops following one upload and forgets it (a local key forgets the file it names; the
   * transfer itself goes on: cancel it with `uploadFiles()`'s `signal`).
   */
  untrack(uploadId: string): void {
    const target = this.#aliases.get(uploadId) ?? uploadId;
    const live = this.#live.get(target);
    if (live) {
      this.#follow.remove(target);
      this.#flight.delete(target);
    } else if (this.#settled.has(target)) {
      this.#settled.filter((id) => id !== target);
    } else if (this.#backlog.has(target)) {
      this.#follow.remove(target);
    } else {
      return;
    }
    // Tracked again later, it must not show as it was tracked the first time.
    this.#backlog.remove(target);
    if (this.#aliases.size > 0) {
      this.#aliases = new Map([...this.#aliases].filter(([, id]) => id !== target));
    }
    this.#order = this.#currentOrder().filter((id) => id !== target);
    this.#changed();
  }

  /**
   * Closes every connection and forgets every upload (files being sent included: their
   * transfers go on unseen). Listeners stay subscribed.
   */
  closeAll(): void {
    if (this.#order.length === 0) return;
    this.#follow.clear();
    this.#flight.clear();
    this.#backlog.clear();
    this.#settled.filter(() => false);
    this.#renames.clear();
    this.#aliases = new Map();
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
    return this.#follow.stream(this.#aliases.get(uploadId) ?? uploadId);
  }

  /** Nothing in flight, nothing waiting. */
  #idle(): boolean {
    return this.#live.size === 0 && this.#backlog.pending === 0;
  }

  /** Makes the record of an upload of the backlog (`undefined`: not in it). */
  #take(id: string): Live | undefined {
    if (!this.#backlog.take(id)) return;
    const live = newLive(id, null, null, null, true);
    this.#flight.put(live);
    return live;
  }

  #attach(live: Live, uploadId: string): void {
    const key = live.id;
    this.#aliases.set(key, uploadId);
    this.#flight.delete(key);
    if (this.#live.has(uploadId) || this.#settled.has(uploadId) || this.#backlog.has(uploadId)) {
      // Tracked already (resumed twice, say): that entry stays, the local one gives way.
      this.#order = this.#currentOrder().filter((id) => id !== key);
      this.#changed();
      return;
    }
    const before = this.#moved(live);
    // The server answered with an id, so it has every byte.
    live.sent = live.totalBytes ?? live.sent;
    live.id = uploadId;
    this.#renames.set(key, uploadId);
    // Its progress is followed from now on (it waits its turn); #refresh puts it in flight
    // under its new id.
    live.following = true;
    live.connection = 'waiting';
    this.#follow.add([uploadId]);
    this.#refresh(live, before, false);
  }

  /** `#order` with the server ids that arrived since the last read in place of local keys. */
  #currentOrder(): readonly string[] {
    if (this.#renames.size > 0) {
      const renames = this.#renames;
      this.#order = this.#order.map((id) => renames.get(id) ?? id);
      renames.clear();
    }
    return this.#order;
  }

  /** Bytes sent plus bytes processed: what the speed counts. */
  #moved(live: Live): number {
    return (live.sent ?? 0) + (live.progress?.uploaded_bytes ?? 0);
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

  /** A change of `live`, which the caller just found in flight. */
  #update(live: Live, progress: UploadProgress | null, connection: ConnectionState): void {
    const before = this.#moved(live);
    if (progress) {
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
    this.#refresh(live, before, settled);
  }

  /** After a change to `live`: counts the bytes moved, rebuilds its entry, settles it. */
  #refresh(live: Live, movedBefore: number, settled: boolean): void {
    const moved = this.#moved(live);
    if (moved > movedBefore) this.#progressed += moved - movedBefore;
    this.#flight.put(live);
    if (settled) this.#settle(live);
    this.#changed();
  }

  #settle(live: Live): void {
    this.#flight.delete(live.id);
    this.#follow.remove(live.id);
    this.#settled.add(live);
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
    const order = this.#currentOrder();
    const n = this.#backlog.pending;
    const live = this.#flight.sums;
    return buildSnapshot(
      {
        order,
        ...this.#settled.capture(),
        ...this.#flight.capture(),
        backlog: this.#backlog.capture((id) =>
          this.#flight.entryOf(newLive(id, null, null, null, true)),
        ),
        aliases: this.#aliases,
      },
      // The settled sums, plus those of the uploads in flight and of those waiting.
      this.#settled.sums.map((sum, i) =>
        i < live.length ? sum + live[i]! + n * WAITING[i]! : sum,
      ),
      () => this.#speed.sample(this.#progressed, this.#options.clock.now()),
    );
  }
}

let shared: UploadProgressManager | undefined;

/**
 * The page's shared manager (made on first use), which the elements use unless given
 * another. Its options are the defaults; make your own manager for other options.
 */
export function getUploadProgressManager(): UploadProgressManager {
  return (shared ??= new UploadProgressManager());
}

import {computed, DestroyRef, inject, signal, type Injector, type Signal} from '@angular/core';
import {followInput} from './follow-input.js';
import {onServer} from './on-server.js';
import {
  UploadProgressManager,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../../src/index.js';

/** Options of {@link injectMultiUploadProgress}. */
export interface InjectMultiUploadProgressOptions extends UploadProgressManagerOptions {
  /**
   * A manager to share (with `<upload-progress-modal [manager]>`, say). It then only tracks
   * the ids; untracking and `closeAll()` are the owner's. Without one, it makes its own,
   * untracks ids that leave the list and closes it all on destroy.
   */
  manager?: UploadProgressManager;
  /** To call it outside an injection context. */
  injector?: Injector;
}

/** What {@link injectMultiUploadProgress} returns: signals over the manager's snapshot. */
export interface MultiUploadProgress {
  /** The whole snapshot: counts, bytes, speed, time left, `uploads`… */
  snapshot: Signal<UploadProgressSnapshot>;
  progressMap: Signal<ReadonlyMap<string, UploadProgress>>;
  overallPercentage: Signal<number>;
  allCompleted: Signal<boolean>;
  allSettled: Signal<boolean>;
  manager: UploadProgressManager;
}

const idOf = (upload: TrackedUpload) => (typeof upload === 'string' ? upload : upload.upload_id);

/**
 * The progress of a set of uploads, as signals. Takes what `manager.track()` takes: ids, or
 * `{upload_id, filename, total_bytes}` so rows waiting for their first record show a name
 * and a size. The list may be a signal or a function of signals; uploads that stay in it
 * keep their connection when it changes. On the server it connects nothing.
 *
 * @example
 * export class Uploads {
 *   readonly files = signal<TrackedUpload[]>([]);
 *   readonly uploads = injectMultiUploadProgress(this.files);
 *   // {{ uploads.overallPercentage() | number: '1.0-0' }} %
 * }
 */
export function injectMultiUploadProgress(
  uploads: readonly TrackedUpload[] | null | (() => readonly TrackedUpload[] | null),
  options: InjectMultiUploadProgressOptions = {},
): MultiUploadProgress {
  const {injector, manager: given, ...managerOptions} = options;
  const destroyRef = injector?.get(DestroyRef) ?? inject(DestroyRef);
  const manager = given ?? new UploadProgressManager(managerOptions);
  const snapshot = signal(manager.getSnapshot());
  const unsubscribe = manager.subscribe((value) => snapshot.set(value));
  let tracked = new Set<string>();
  const sync = (list: readonly TrackedUpload[] | null) => {
    const next = new Set((list ?? []).map(idOf));
    if (!given) for (const id of tracked) if (!next.has(id)) manager.untrack(id);
    manager.track(list ?? []);
    tracked = next;
  };
  destroyRef.onDestroy(() => {
    unsubscribe();
    if (!given) manager.closeAll();
  });
  if (!onServer(injector)) followInput(uploads, sync, injector);
  return {
    snapshot: snapshot.asReadonly(),
    progressMap: computed(() => snapshot().progressMap),
    overallPercentage: computed(() => snapshot().overallPercentage),
    allCompleted: computed(() => snapshot().allCompleted),
    allSettled: computed(() => snapshot().allSettled),
    manager,
  };
}

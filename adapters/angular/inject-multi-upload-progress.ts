import {computed, DestroyRef, inject, signal, type Injector, type Signal} from '@angular/core';
import {followInput} from './follow-input.js';
import {
  UploadProgressManager,
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

/**
 * The progress of a set of uploads, as signals. The ids may be a signal or a function of
 * signals; ids that stay in the list keep their connection when it changes.
 *
 * @example
 * export class Uploads {
 *   readonly ids = signal<string[]>([]);
 *   readonly uploads = injectMultiUploadProgress(this.ids);
 *   // {{ uploads.overallPercentage() | number: '1.0-0' }} %
 * }
 */
export function injectMultiUploadProgress(
  uploadIds: readonly string[] | null | (() => readonly string[] | null),
  options: InjectMultiUploadProgressOptions = {},
): MultiUploadProgress {
  const {injector, manager: given, ...managerOptions} = options;
  const destroyRef = injector?.get(DestroyRef) ?? inject(DestroyRef);
  const manager = given ?? new UploadProgressManager(managerOptions);
  const snapshot = signal(manager.getSnapshot());
  const unsubscribe = manager.subscribe((value) => snapshot.set(value));
  let tracked = new Set<string>();
  const sync = (ids: readonly string[] | null) => {
    const next = new Set(ids);
    if (!given) for (const id of tracked) if (!next.has(id)) manager.untrack(id);
    manager.track(next);
    tracked = next;
  };
  destroyRef.onDestroy(() => {
    unsubscribe();
    if (!given) manager.closeAll();
  });
  followInput(uploadIds, sync, injector);
  return {
    snapshot: snapshot.asReadonly(),
    progressMap: computed(() => snapshot().progressMap),
    overallPercentage: computed(() => snapshot().overallPercentage),
    allCompleted: computed(() => snapshot().allCompleted),
    allSettled: computed(() => snapshot().allSettled),
    manager,
  };
}

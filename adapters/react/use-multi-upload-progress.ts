import {useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {
  UploadProgressManager,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../../src/index.js';

/** Options of {@link useMultiUploadProgress}. */
export interface MultiUploadProgressOptions extends UploadProgressManagerOptions {
  /**
   * A manager to share (with `<UploadProgressModal manager>` or other hooks). The hook then
   * only tracks the ids; untracking and `closeAll()` are the owner's. Without one, the hook
   * makes its own, untracks ids that leave the list and closes it all on unmount.
   */
  manager?: UploadProgressManager;
}

/** The manager's snapshot (`progressMap`, `overallPercentage`, `allCompleted`, …) and the manager. */
export interface MultiUploadProgress extends UploadProgressSnapshot {
  manager: UploadProgressManager;
}

/**
 * The progress of a set of uploads, as the manager's snapshot: `progressMap`,
 * `overallPercentage` (byte-weighted), `allCompleted`, `allSettled`, counts, bytes, speed
 * and time left. Ids are compared by value, so a new array with the same ids reconnects
 * nothing.
 *
 * @example
 * const {progressMap, overallPercentage, allCompleted} = useMultiUploadProgress(uploadIds);
 */
export function useMultiUploadProgress(
  uploadIds: readonly string[] | null,
  options: MultiUploadProgressOptions = {},
): MultiUploadProgress {
  const own = useRef<UploadProgressManager | null>(null);
  const manager = options.manager ?? (own.current ??= new UploadProgressManager(options));
  const owned = manager === own.current;
  // By value: a new array with the same ids is the same list.
  const key = JSON.stringify(uploadIds ?? []);
  const ids = useMemo(() => uploadIds ?? [], [key]);
  const tracked = useRef<readonly string[]>([]);

  useEffect(() => {
    // Only ids that left are untracked: the others keep their connection and state.
    const keep = new Set(ids);
    if (owned) for (const id of tracked.current) if (!keep.has(id)) manager.untrack(id);
    manager.track(ids);
    tracked.current = ids;
  }, [manager, owned, ids]);
  useEffect(
    () => () => {
      if (!owned) return;
      manager.closeAll();
      tracked.current = [];
    },
    [manager, owned],
  );

  const store = useMemo(
    () => ({
      subscribe: (onChange: () => void) => manager.subscribe(onChange),
      getSnapshot: () => manager.getSnapshot(),
    }),
    [manager],
  );
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return useMemo(() => ({...snapshot, manager}), [snapshot, manager]);
}

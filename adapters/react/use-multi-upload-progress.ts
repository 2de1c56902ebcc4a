import {useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {
  UploadProgressManager,
  type TrackedUpload,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../../src/index.js';

/** Options of {@link useMultiUploadProgress}. */
export interface MultiUploadProgressOptions extends UploadProgressManagerOptions {
  /**
   * A manager to share (with `<UploadProgressModal manager>` or other hooks). The hook then
   * only tracks the uploads; untracking and `closeAll()` are the owner's. Without one, the
   * hook makes its own, untracks uploads that leave the list and closes it all on unmount.
   */
  manager?: UploadProgressManager;
}

/** The manager's snapshot (`progressMap`, `overallPercentage`, `allCompleted`, …) and the manager. */
export interface MultiUploadProgress extends UploadProgressSnapshot {
  manager: UploadProgressManager;
}

const idOf = (upload: TrackedUpload) => (typeof upload === 'string' ? upload : upload.upload_id);

/**
 * The progress of a set of uploads, as the manager's snapshot: `progressMap`,
 * `overallPercentage` (byte-weighted), `allCompleted`, `allSettled`, counts, bytes, speed
 * and time left. Takes what `manager.track()` takes: ids, or `{upload_id, filename,
 * total_bytes}` so rows waiting for their first record show a name and a size, not an id.
 * Compared by value, so a new array with the same uploads reconnects nothing. Connections
 * start in an effect: never on the server, never for a render React throws away.
 *
 * @example
 * const {progressMap, overallPercentage, allCompleted} = useMultiUploadProgress(
 *   ids.map((upload_id, i) => ({upload_id, filename: files[i].name, total_bytes: files[i].size})),
 * );
 */
export function useMultiUploadProgress(
  uploads: readonly TrackedUpload[] | null,
  options: MultiUploadProgressOptions = {},
): MultiUploadProgress {
  const own = useRef<UploadProgressManager | null>(null);
  const manager = options.manager ?? (own.current ??= new UploadProgressManager(options));
  const owned = manager === own.current;
  // By value: a new array with the same uploads is the same list.
  const key = JSON.stringify(uploads ?? []);
  const list = useMemo(() => uploads ?? [], [key]);
  const tracked = useRef<readonly string[]>([]);

  useEffect(() => {
    // Only uploads that left are untracked: the others keep their connection and state.
    const ids = list.map(idOf);
    const keep = new Set(ids);
    if (owned) for (const id of tracked.current) if (!keep.has(id)) manager.untrack(id);
    manager.track(list);
    tracked.current = ids;
  }, [manager, owned, list]);
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

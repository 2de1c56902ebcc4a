import {
  computed,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
  type ComputedRef,
  type MaybeRefOrGetter,
  type ShallowRef,
} from 'vue';
import {
  UploadProgressManager,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../../src/index.js';
import {onClient} from './on-client.js';

/** Options of {@link useMultiUploadProgress}. */
export interface MultiUploadProgressOptions extends UploadProgressManagerOptions {
  /**
   * A manager to share (with `<upload-progress-modal :manager>` or other composables). The
   * composable then only tracks the uploads; untracking and `closeAll()` are the owner's.
   * Without one, it makes its own, untracks uploads that leave the list and closes it all
   * with the scope.
   */
  manager?: UploadProgressManager;
}

/** What {@link useMultiUploadProgress} returns: refs over the manager's snapshot. */
export interface MultiUploadProgress {
  /** The whole snapshot: counts, bytes, speed, time left, `uploads`… */
  snapshot: Readonly<ShallowRef<UploadProgressSnapshot>>;
  progressMap: ComputedRef<ReadonlyMap<string, UploadProgress>>;
  overallPercentage: ComputedRef<number>;
  allCompleted: ComputedRef<boolean>;
  allSettled: ComputedRef<boolean>;
  manager: UploadProgressManager;
}

const idOf = (upload: TrackedUpload) => (typeof upload === 'string' ? upload : upload.upload_id);

/**
 * The progress of a set of uploads, as refs. Takes what `manager.track()` takes: ids, or
 * `{upload_id, filename, total_bytes}` so rows waiting for their first record show a name
 * and a size. The list may be a ref or a getter; uploads that stay in it keep their
 * connection when it changes. In a component, connections start once it is mounted: never
 * on the server.
 *
 * @example
 * const uploads = ref<TrackedUpload[]>([]);
 * const {progressMap, overallPercentage, allCompleted} = useMultiUploadProgress(uploads);
 */
export function useMultiUploadProgress(
  uploads: MaybeRefOrGetter<readonly TrackedUpload[] | null>,
  options: MultiUploadProgressOptions = {},
): MultiUploadProgress {
  const manager = options.manager ?? new UploadProgressManager(options);
  const owned = manager !== options.manager;
  const snapshot = shallowRef(manager.getSnapshot());
  let unsubscribe: (() => void) | undefined;
  let stopWatching: (() => void) | undefined;
  let disposed = false;
  let tracked = new Set<string>();
  onClient(() => {
    if (disposed) return;
    unsubscribe = manager.subscribe((value) => (snapshot.value = value));
    stopWatching = watch(
      // A copy reads every item, so `list.value.push(upload)` is seen as well as a new array.
      () => [...(toValue(uploads) ?? [])],
      (list) => {
        const next = new Set(list.map(idOf));
        if (owned) for (const id of tracked) if (!next.has(id)) manager.untrack(id);
        manager.track(list);
        tracked = next;
      },
      {immediate: true},
    );
  });
  onScopeDispose(() => {
    disposed = true;
    stopWatching?.();
    unsubscribe?.();
    if (owned) manager.closeAll();
  });
  return {
    snapshot: shallowReadonly(snapshot),
    progressMap: computed(() => snapshot.value.progressMap),
    overallPercentage: computed(() => snapshot.value.overallPercentage),
    allCompleted: computed(() => snapshot.value.allCompleted),
    allSettled: computed(() => snapshot.value.allSettled),
    manager,
  };
}

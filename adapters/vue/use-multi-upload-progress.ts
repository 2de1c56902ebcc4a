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
  type UploadProgress,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../../src/index.js';

/** Options of {@link useMultiUploadProgress}. */
export interface MultiUploadProgressOptions extends UploadProgressManagerOptions {
  /**
   * A manager to share (with `<upload-progress-modal :manager>` or other composables). The
   * composable then only tracks the ids; untracking and `closeAll()` are the owner's.
   * Without one, it makes its own, untracks ids that leave the list and closes it all
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

/**
 * The progress of a set of uploads, as refs. The ids may be a ref or a getter; ids that
 * stay in the list keep their connection when it changes.
 *
 * @example
 * const ids = ref<string[]>([]);
 * const {progressMap, overallPercentage, allCompleted} = useMultiUploadProgress(ids);
 */
export function useMultiUploadProgress(
  uploadIds: MaybeRefOrGetter<readonly string[] | null>,
  options: MultiUploadProgressOptions = {},
): MultiUploadProgress {
  const manager = options.manager ?? new UploadProgressManager(options);
  const owned = manager !== options.manager;
  const snapshot = shallowRef(manager.getSnapshot());
  const unsubscribe = manager.subscribe((value) => (snapshot.value = value));
  let tracked = new Set<string>();
  watch(
    // A copy reads every item, so `ids.value.push(id)` is seen as well as a new array.
    () => [...(toValue(uploadIds) ?? [])],
    (ids) => {
      const next = new Set(ids);
      if (owned) for (const id of tracked) if (!next.has(id)) manager.untrack(id);
      manager.track(next);
      tracked = next;
    },
    {immediate: true},
  );
  onScopeDispose(() => {
    unsubscribe();
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

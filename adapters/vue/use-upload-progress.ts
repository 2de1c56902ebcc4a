import {
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type ShallowRef,
} from 'vue';
import {
  UploadProgressStream,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';
import {onClient} from './on-client.js';

/**
 * The live progress of one upload, as a readonly ref: `null` until its first record
 * arrives (and while the upload is `null`), then the latest {@link UploadProgress}. Takes
 * an id, or `{upload_id, filename, total_bytes}` (what `manager.track()` takes).
 *
 * The upload may be a ref or a getter: when its id changes, the old stream closes and a
 * new one opens. In a component the stream opens once it is mounted (never on the server);
 * everything closes with the component (or `effectScope`) that called it.
 *
 * @example
 * const props = defineProps<{uploadId: string}>();
 * const progress = useUploadProgress(() => props.uploadId);
 * // <progress v-if="progress" max="100" :value="progress.progress_percentage" />
 */
export function useUploadProgress(
  upload: MaybeRefOrGetter<TrackedUpload | null>,
  options?: UploadProgressStreamOptions,
): Readonly<ShallowRef<UploadProgress | null>> {
  const progress = shallowRef<UploadProgress | null>(null);
  let stop: (() => void) | undefined;
  let stopWatching: (() => void) | undefined;
  let disposed = false;
  const disconnect = () => {
    stop?.();
    stop = undefined;
  };
  const connect = (value: TrackedUpload | null) => {
    disconnect();
    progress.value = null;
    const id = typeof value === 'string' ? value : value?.upload_id;
    if (!id) return;
    const known = typeof value === 'object' && value ? value : undefined;
    const stream = new UploadProgressStream(id, {...options, known: options?.known ?? known});
    const unsubscribe = stream.subscribe((record) => {
      if (record) progress.value = record;
    });
    stop = () => {
      unsubscribe();
      stream.close();
    };
  };
  onClient(() => {
    if (disposed) return;
    let current: string | undefined;
    stopWatching = watch(
      () => toValue(upload),
      (value) => {
        // Only a new id reconnects: an equal object, or the same id, keeps the stream.
        const id = (typeof value === 'string' ? value : value?.upload_id) ?? '';
        if (id === current) return;
        current = id;
        connect(value);
      },
      {immediate: true},
    );
  });
  onScopeDispose(() => {
    disposed = true;
    stopWatching?.();
    disconnect();
  });
  return shallowReadonly(progress);
}

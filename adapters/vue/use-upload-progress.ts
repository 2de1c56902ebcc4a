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
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';

/**
 * The live progress of one upload, as a readonly ref: `null` until its first record
 * arrives (and while the id is `null`), then the latest {@link UploadProgress}.
 *
 * The id may be a ref or a getter: when it changes, the old stream closes and a new one
 * opens. Everything closes with the component (or `effectScope`) that called it.
 *
 * @example
 * const props = defineProps<{uploadId: string}>();
 * const progress = useUploadProgress(() => props.uploadId);
 * // <progress v-if="progress" max="100" :value="progress.progress_percentage" />
 */
export function useUploadProgress(
  uploadId: MaybeRefOrGetter<string | null>,
  options?: UploadProgressStreamOptions,
): Readonly<ShallowRef<UploadProgress | null>> {
  const progress = shallowRef<UploadProgress | null>(null);
  let stop: (() => void) | undefined;
  const disconnect = () => {
    stop?.();
    stop = undefined;
  };
  watch(
    () => toValue(uploadId),
    (id) => {
      disconnect();
      progress.value = null;
      if (!id) return;
      const stream = new UploadProgressStream(id, options);
      const unsubscribe = stream.subscribe((value) => {
        if (value) progress.value = value;
      });
      stop = () => {
        unsubscribe();
        stream.close();
      };
    },
    {immediate: true},
  );
  onScopeDispose(disconnect);
  return shallowReadonly(progress);
}

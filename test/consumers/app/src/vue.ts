// Vue 3.5: the composables, with names and sizes.
import {effectScope, ref} from 'vue';
import {useMultiUploadProgress, useUploadProgress, type TrackedUpload} from 'upload-progress/vue';

const uploads = ref<TrackedUpload[]>([]);
export const scope = effectScope();
scope.run(() => {
  const {overallPercentage, allCompleted, manager} = useMultiUploadProgress(uploads);
  const one = useUploadProgress(() => uploads.value[0] ?? null);
  const percent: number = overallPercentage.value;
  const done: boolean = allCompleted.value;
  manager.track([{upload_id: 'c', filename: 'c.txt', total_bytes: 3}]);
  console.log(percent, done, one.value?.status);
});
uploads.value = [{upload_id: 'a', filename: 'a.zip', total_bytes: 10}, 'b'];

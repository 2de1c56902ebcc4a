// The core and the elements as a user's strict project sees them.
import {
  UploadProgressError,
  UploadProgressManager,
  UploadProgressStream,
  getUploadProgressManager,
  uploadFiles,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressSnapshot,
} from 'upload-progress';
import {UploadProgressModal, defaultStrings} from 'upload-progress/components';

const stream = new UploadProgressStream('a', {progressUrl: (id) => `/progress/${id}`});
stream.addEventListener('failed', (event) => console.log(event.detail.progress.error));
stream.addEventListener('progress', (event) => console.log(event.detail.progress.filename));
stream.addEventListener('some-other-event', (event: Event) => console.log(event.type));
export const target: EventTarget = stream;
export const last: UploadProgress | null = stream.getSnapshot();

const uploads: TrackedUpload[] = ['a', {upload_id: 'b', filename: 'b.zip', total_bytes: 2048}];
const manager = new UploadProgressManager({maxConnections: 2});
manager.track(uploads);
manager.subscribe((snapshot: UploadProgressSnapshot) => console.log(snapshot.overallPercentage));
export const shared: UploadProgressManager = getUploadProgressManager();

const modal: UploadProgressModal = document.createElement('upload-progress-modal');
modal.manager = manager;
modal.uploadIds = ['a', 'b'];
modal.strings = {close: defaultStrings.close};
modal.addEventListener('close', (event) => console.log(event.detail.reason));

export async function send(files: FileList): Promise<string[]> {
  try {
    const task = uploadFiles(files, {path: 'uploads'});
    modal.uploadIds = [...task.keys];
    return await task;
  } catch (error) {
    if (error instanceof UploadProgressError) console.log(error.kind);
    throw error;
  }
}

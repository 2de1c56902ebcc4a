// React 18 (its @types/react): the elements accept only what React 18 passes through
// (attributes, as strings); objects and listeners go through <UploadProgressModal>.
import {useState} from 'react';
import {
  UploadProgressModal,
  useMultiUploadProgress,
  type TrackedUpload,
} from 'upload-progress/react';

export function Uploader() {
  const [uploads, setUploads] = useState<TrackedUpload[] | null>(null);
  const {overallPercentage, manager} = useMultiUploadProgress(uploads);
  return (
    <>
      <p>{overallPercentage.toFixed(0)} %</p>
      <UploadProgressModal uploadIds={uploads} manager={manager} onClose={() => setUploads(null)} />
      <upload-progress-modal upload-ids="a b" auto-close-delay={-1} class="uploads" />
      <upload-progress-bar value={42} label="Backup.zip" indeterminate />
      {/* @ts-expect-error: React 18 would set the attribute manager="[object Object]" */}
      <upload-progress-modal manager={manager} />
      {/* @ts-expect-error: React 18 would set the attribute uploadids="a,b" */}
      <upload-progress-modal uploadIds={['a', 'b']} />
      {/* @ts-expect-error: React 18 drops functions given to custom elements */}
      <upload-progress-modal onclose={() => setUploads(null)} />
      {/* @ts-expect-error: React 18 passes className as an attribute named "classname" */}
      <upload-progress-list className="uploads" />
      {/* @ts-expect-error: React 18 writes indeterminate="false", which is true */}
      <upload-progress-bar indeterminate={false} />
    </>
  );
}

// React 19 (its @types/react): the hooks, the wrapper and the elements in JSX.
import {useState} from 'react';
import {
  UploadProgressModal,
  useMultiUploadProgress,
  useUploadProgress,
  type TrackedUpload,
} from 'upload-progress/react';

export function Uploader() {
  const [uploads, setUploads] = useState<TrackedUpload[] | null>(null);
  const {overallPercentage, allCompleted, manager} = useMultiUploadProgress(uploads);
  const first = useUploadProgress(uploads?.[0] ?? null);
  return (
    <>
      <p>{allCompleted ? 'Done' : `${overallPercentage.toFixed(0)} % ${first?.filename ?? ''}`}</p>
      <UploadProgressModal
        uploadIds={uploads}
        manager={manager}
        className="uploads"
        onClose={(reason) => reason === 'user' && setUploads(null)}
      />
      <upload-progress-modal
        uploadIds={['a']}
        manager={manager}
        className="uploads"
        onclose={(event) => console.log(event.detail.reason)}
      />
      <upload-progress-bar value={42} label="Backup.zip" indeterminate={false} />
      <upload-progress-list upload-ids="a b" />
      {/* @ts-expect-error: not a property of the bar */}
      <upload-progress-bar volume={3} />
    </>
  );
}

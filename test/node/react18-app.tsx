// The page react18.test.ts bundles with `react` and `react-dom` aliased to React 18: the React
// adapter as a React 18 app uses it, through the package's exports to dist/.
import {version} from 'react';
import {flushSync} from 'react-dom';
import {createRoot} from 'react-dom/client';
import {
  UploadProgressModal,
  useMultiUploadProgress,
  type TrackedUpload,
} from 'upload-progress/react';

const closes: string[] = [];

function App({uploads}: {uploads: TrackedUpload[] | null}) {
  const {manager, progressMap, allCompleted} = useMultiUploadProgress(uploads);
  return (
    <>
      <output>{`${progressMap.size} ${allCompleted}`}</output>
      <UploadProgressModal
        uploadIds={uploads}
        manager={manager}
        className="uploads"
        autoCloseDelay={50}
        onClose={(reason) => closes.push(reason)}
      />
    </>
  );
}

/** The modal alone, on the page's shared manager: the names reach it only through its props. */
function ModalOnly({uploads}: {uploads: TrackedUpload[] | null}) {
  return <UploadProgressModal uploadIds={uploads} onClose={(reason) => closes.push(reason)} />;
}

const root = createRoot(document.getElementById('root')!);
const modal = () => document.querySelector('upload-progress-modal')!;

Object.assign(window, {
  e2e: {
    version,
    closes,
    render(uploads: TrackedUpload[] | null, modalOnly = false) {
      flushSync(() =>
        root.render(modalOnly ? <ModalOnly uploads={uploads} /> : <App uploads={uploads} />),
      );
    },
    async upload(files: [string, number][], mock: object): Promise<TrackedUpload[]> {
      const form = new FormData();
      for (const [name, size] of files)
        form.append('files', new File([new Uint8Array(size)], name));
      form.append('path', 'react18');
      form.append('mock', JSON.stringify(mock));
      const response = await fetch('/api/files/upload', {method: 'POST', body: form});
      const {upload_ids} = (await response.json()) as {upload_ids: string[]};
      return upload_ids.map((upload_id, i) => ({
        upload_id,
        filename: files[i]![0],
        total_bytes: files[i]![1],
      }));
    },
    element() {
      const element = modal();
      return {
        managerIsObject: typeof element.manager === 'object',
        managerAttribute: element.getAttribute('manager'),
        uploadIdsAttribute: element.getAttribute('uploadids'),
        classAttribute: element.getAttribute('class'),
        uploadIds: element.uploadIds,
        open: element.open,
      };
    },
    rowsText: () =>
      modal().shadowRoot?.querySelector('upload-progress-list')?.shadowRoot?.textContent ?? '',
    output: () => document.querySelector('output')?.textContent ?? '',
    /** Records the modal's manager has received from the server. */
    records: () => modal().manager.getSnapshot().progressMap.size,
  },
});

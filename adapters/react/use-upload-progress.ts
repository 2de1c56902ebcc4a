import {useMemo, useSyncExternalStore} from 'react';
import {
  UploadProgressStream,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';

/**
 * The live progress of one upload: `null` until its first record arrives (and while
 * `uploadId` is `null`), then the latest {@link UploadProgress}, ending `completed` or
 * `failed`.
 *
 * The stream opens when the component mounts and closes when it unmounts or the id
 * changes. Options are read when the stream opens; change the id to reconnect.
 *
 * @example
 * function Row({uploadId}: {uploadId: string}) {
 *   const progress = useUploadProgress(uploadId);
 *   if (!progress) return <p>Connecting…</p>;
 *   return <progress max={100} value={progress.progress_percentage} />;
 * }
 */
export function useUploadProgress(
  uploadId: string | null,
  options?: UploadProgressStreamOptions,
): UploadProgress | null {
  const store = useMemo(() => {
    let current: UploadProgress | null = null;
    return {
      // The stream lives between subscribe and unsubscribe (commit to cleanup), never in
      // render, so a render React throws away opens no connection.
      subscribe(onChange: () => void): () => void {
        if (!uploadId) return () => undefined;
        const stream = new UploadProgressStream(uploadId, options);
        const stop = stream.subscribe((progress) => {
          // A resubscription (StrictMode) starts a stream at null: keep what was shown.
          if (progress === null) return;
          current = progress;
          onChange();
        });
        return () => {
          stop();
          stream.close();
        };
      },
      getSnapshot: () => current,
    };
    // Options are read when the stream opens; only a new id reconnects.
  }, [uploadId]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

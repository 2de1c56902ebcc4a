import {useMemo, useSyncExternalStore} from 'react';
import {
  UploadProgressStream,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';

/**
 * The live progress of one upload: `null` until its first record arrives (and while
 * `upload` is `null`), then the latest {@link UploadProgress}, ending `completed` or
 * `failed`. Takes an id, or `{upload_id, filename, total_bytes}` (what `manager.track()`
 * takes): a record that never arrives then fails with the file's name and size.
 *
 * The stream opens when the component mounts (never on the server) and closes when it
 * unmounts or the id changes. Options are read when the stream opens; change the id to
 * reconnect.
 *
 * @example
 * function Row({uploadId}: {uploadId: string}) {
 *   const progress = useUploadProgress(uploadId);
 *   if (!progress) return <p>Connecting…</p>;
 *   return <progress max={100} value={progress.progress_percentage} />;
 * }
 */
export function useUploadProgress(
  upload: TrackedUpload | null,
  options?: UploadProgressStreamOptions,
): UploadProgress | null {
  const uploadId = typeof upload === 'string' ? upload : (upload?.upload_id ?? null);
  const known = typeof upload === 'object' && upload ? upload : undefined;
  const store = useMemo(() => {
    let current: UploadProgress | null = null;
    return {
      // The stream lives between subscribe and unsubscribe (commit to cleanup), never in
      // render, so a render React throws away opens no connection.
      subscribe(onChange: () => void): () => void {
        if (!uploadId) return () => undefined;
        const stream = new UploadProgressStream(uploadId, {
          ...options,
          known: options?.known ?? known,
        });
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
    // Options (and what is known of the file) are read when the stream opens; only a new id
    // reconnects.
  }, [uploadId]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

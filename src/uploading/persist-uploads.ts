// persistUploads(): apart from resumeUploads() because the script tag loads it late (rollup.config.mjs,
// `lazy`; src/uploading/persist-uploads-stub.ts): pages that never persist never download it.
import {getUploadProgressManager} from '../manager/upload-progress-manager.js';
import {
  DEFAULT_KEY,
  defaultStorage,
  page,
  read,
  write,
  type ResumeOptions,
  type StoredUpload,
} from './upload-storage.js';

/**
 * Remembers uploads still in flight in `sessionStorage` (or `storage`), so that after a
 * reload `resumeUploads()` can show them again. It watches the manager: a file is
 * remembered while it is being sent or processed, with its server id once known, and
 * forgotten once it completed, failed or was untracked. `uploadFiles(files, {persist: true})`
 * calls it; call it yourself for uploads you track by id.
 *
 * Best effort: where storage is missing, full or refused (a worker, a privacy mode), nothing
 * is remembered and nothing fails.
 *
 * @param keys - ids or local keys the manager tracks
 * @returns a function that stops remembering (what is stored stays)
 *
 * @example
 * manager.track(upload_ids);
 * persistUploads(upload_ids, {manager});
 */
export function persistUploads(keys: readonly string[], options: ResumeOptions = {}): () => void {
  const manager = options.manager ?? getUploadProgressManager();
  const storage = options.storage ?? defaultStorage();
  if (!storage || keys.length === 0) return () => undefined;
  const key = options.key ?? DEFAULT_KEY;
  /** Per watched key, the id stored (`null`: stored while being sent; absent: forgotten). */
  const stored = new Map<string, string | null | undefined>(keys.map((k) => [k, undefined]));
  const watching = {stop: (): void => undefined, done: false};
  const watch = () => {
    const uploads = manager.getSnapshot().uploads;
    /** Per ref, its new record (`null`: forget it). */
    const changes = new Map<string, StoredUpload | null>();
    for (const [k, before] of stored) {
      const entry = uploads.get(k);
      const id =
        !entry || entry.phase === 'done'
          ? undefined
          : entry.phase === 'transferring'
            ? null
            : entry.uploadId;
      if (id === undefined) stored.delete(k);
      else stored.set(k, id);
      if (id === before) continue;
      const ref = page + k;
      const resume = id === null ? options.resumable?.get(k) : undefined;
      changes.set(
        ref,
        id === undefined
          ? null
          : {
              ref,
              upload_id: id,
              filename: entry!.filename ?? '',
              total_bytes: entry!.totalBytes ?? 0,
              ...(resume ? {resume} : {}),
            },
      );
    }
    if (changes.size > 0) {
      // Read afresh: other uploads of the page store under the same key.
      const next: StoredUpload[] = [];
      for (const record of read(storage, key)) {
        const change = changes.has(record.ref) ? changes.get(record.ref) : record;
        changes.delete(record.ref);
        if (change) next.push(change);
      }
      for (const change of changes.values()) if (change) next.push(change);
      write(storage, key, next);
    }
    if (stored.size === 0) {
      watching.done = true;
      watching.stop();
    }
  };
  watching.stop = manager.subscribe(watch);
  if (watching.done) watching.stop();
  return () => watching.stop();
}

import {
  getUploadProgressManager,
  type UploadProgressManager,
} from '../manager/upload-progress-manager.js';
import type {TransferHandle} from '../types.js';
import {persistUploads} from './persist-uploads.js';
import {DEFAULT_KEY, defaultStorage, read, write, type ResumeOptions} from './upload-storage.js';

export {persistUploads};
export type {PersistOptions, ResumeOptions, UploadStorage} from './upload-storage.js';

/** Files a reload interrupted that can go on once chosen again, by fingerprint. */
const waiting = new Map<string, {handle: TransferHandle; manager: UploadProgressManager}>();

/**
 * The row of a resumable file a reload interrupted, if `resumeUploads()` restored one with
 * this fingerprint on this manager (it is then taken: a second call gets nothing).
 */
export function claimResumed(
  fingerprint: string,
  manager: UploadProgressManager,
): TransferHandle | undefined {
  const found = waiting.get(fingerprint);
  if (found?.manager !== manager) return undefined;
  waiting.delete(fingerprint);
  return found.handle;
}

/** Shown for a file whose transfer a reload cut short: nothing can resume it. */
export const INTERRUPTED =
  'The page was reloaded before this file was sent, so the server never got it. Upload it again.';

/**
 * After a reload, tracks again the uploads {@link persistUploads} remembered (with their
 * names, sizes and sent bytes, so the figures pick up where they were) and keeps remembering
 * them until they end. A file whose transfer the reload cut short cannot resume: it is shown
 * `failed`, with a reason that says to upload it again.
 *
 * @returns the keys to show, in the order they were stored (give them to the modal)
 *
 * @example
 * modal.uploadIds = resumeUploads(); // opens the modal only if something was in flight
 */
export function resumeUploads(options: ResumeOptions = {}): string[] {
  const manager = options.manager ?? getUploadProgressManager();
  const storage = options.storage ?? defaultStorage();
  if (!storage) return [];
  const key = options.key ?? DEFAULT_KEY;
  const records = read(storage, key);
  write(storage, key, []);
  if (records.length === 0) return [];
  const handles = manager.trackTransfers(records);
  const resumable = new Map<string, string>();
  const keys = records.map((record, i) => {
    const handle = handles[i]!;
    if (record.upload_id === null && record.resume && handle.setPaused) {
      // The server has part of it: shown paused until the file is chosen again.
      handle.setPaused(true);
      waiting.set(record.resume, {handle, manager});
      resumable.set(handle.key, record.resume);
      return handle.key;
    }
    if (record.upload_id === null) {
      handle.fail(INTERRUPTED);
      return handle.key;
    }
    handle.attach(record.upload_id);
    return record.upload_id;
  });
  persistUploads(keys, {...options, manager, resumable});
  return keys;
}

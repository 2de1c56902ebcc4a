import {
  getUploadProgressManager,
  type UploadProgressManager,
} from '../manager/upload-progress-manager.js';
import type {TransferHandle} from '../types.js';

/** What persistence needs of a storage: `sessionStorage` has it. */
export type UploadStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where uploads are remembered across a reload. */
export interface PersistOptions {
  /** The storage key. @defaultValue `'upload-progress'` */
  key?: string;
  /** @defaultValue `globalThis.sessionStorage` (per tab; survives reloads, not the tab) */
  storage?: UploadStorage;
}

/** Options of {@link resumeUploads}. */
export interface ResumeOptions extends PersistOptions {
  /** The manager to track them with. @defaultValue the shared one */
  manager?: UploadProgressManager;
  /**
   * Per key of a file sent resumably, its fingerprint (`uploadFiles()` passes them for the
   * `tus` option): after a reload such a file waits, paused, to be chosen again.
   */
  resumable?: ReadonlyMap<string, string> | undefined;
}

/** One remembered file: an id the server is processing, or `null` while it was being sent. */
interface StoredUpload {
  /** Which page and key stored it: records of the page before a reload are never confused. */
  ref: string;
  upload_id: string | null;
  filename: string;
  total_bytes: number;
  /** The fingerprint of a file sent resumably: chosen again after a reload, it goes on. */
  resume?: string;
}

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

/**
 * An option key of `uploadFiles()` no user sees: the rows its files already have (one per
 * file, in order). The script tag's stand-in tracks the files from the call and hands them
 * over so once the sending code is there (components/script-tag/upload-files-stub.ts).
 */
export const HANDED = Symbol();

/** Tells this page's records from those stored before a reload. */
const page = Math.random().toString(36).slice(2, 10);

const DEFAULT_KEY = 'upload-progress';

/** Shown for a file whose transfer a reload cut short: nothing can resume it. */
export const INTERRUPTED = 'The page was reloaded before this file was sent. Upload it again.';

/**
 * Remembers uploads still in flight in `sessionStorage` (or `storage`), so that after a
 * reload {@link resumeUploads} can show them again. It watches the manager: a file is
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
  // The manager calls `watch` once before `subscribe` returns: `done` then, stopped after.
  let stop = (): void => undefined;
  let done = false;
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
      done = true;
      stop();
    }
  };
  stop = manager.subscribe(watch);
  if (done) stop();
  return stop;
}

/**
 * After a reload, tracks again the uploads {@link persistUploads} remembered (with their
 * names and sizes; the server's figures follow once it reports) and keeps remembering
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

function defaultStorage(): UploadStorage | undefined {
  try {
    return globalThis.sessionStorage ?? undefined;
  } catch {
    // Reading sessionStorage throws where storage is refused (sandboxed frames, some privacy modes).
    return undefined;
  }
}

function read(storage: UploadStorage, key: string): StoredUpload[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isStored) : [];
  } catch {
    return [];
  }
}

function write(storage: UploadStorage, key: string, records: StoredUpload[]): void {
  try {
    if (records.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(records));
  } catch {
    // Full or refused: persistence is best effort.
  }
}

function isStored(value: unknown): value is StoredUpload {
  const r = value as StoredUpload;
  return (
    !!r &&
    typeof r.ref === 'string' &&
    (r.upload_id === null || (typeof r.upload_id === 'string' && r.upload_id !== '')) &&
    typeof r.filename === 'string' &&
    typeof r.total_bytes === 'number' &&
    r.total_bytes >= 0 &&
    (r.resume === undefined || typeof r.resume === 'string')
  );
}

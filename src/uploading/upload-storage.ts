// Where persistence keeps its records: shared by persistUploads() (persist-uploads.ts, which
// the script tag loads late) and resumeUploads() (upload-persistence.ts).
import type {UploadProgressManager} from '../manager/upload-progress-manager.js';

/** What persistence needs of a storage: `sessionStorage` has it. */
export type UploadStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where uploads are remembered across a reload. */
export interface PersistOptions {
  /** The storage key. @defaultValue `'upload-progress'` */
  key?: string;
  /** @defaultValue `globalThis.sessionStorage` (per tab; survives reloads, not the tab) */
  storage?: UploadStorage;
}

/** Options of `resumeUploads()` (and of `persistUploads()`, which it calls). */
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
export interface StoredUpload {
  /** Which page and key stored it: records of the page before a reload are never confused. */
  ref: string;
  upload_id: string | null;
  filename: string;
  total_bytes: number;
  /** The fingerprint of a file sent resumably: chosen again after a reload, it goes on. */
  resume?: string;
}

/** Tells this page's records from those stored before a reload. */
export const page = Math.random().toString(36).slice(2, 10);

/** The storage key by default. */
export const DEFAULT_KEY = 'upload-progress';

/** `sessionStorage`, or `undefined` where there is none or it is refused. */
export function defaultStorage(): UploadStorage | undefined {
  try {
    return globalThis.sessionStorage ?? undefined;
  } catch {
    // Reading sessionStorage throws where storage is refused (sandboxed frames, some privacy modes).
    return undefined;
  }
}

/** The valid records under `key`; none when missing or unreadable. */
export function read(storage: UploadStorage, key: string): StoredUpload[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isStored) : [];
  } catch {
    return [];
  }
}

/** Stores `records` under `key` (none: removes the key); best effort. */
export function write(storage: UploadStorage, key: string, records: StoredUpload[]): void {
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

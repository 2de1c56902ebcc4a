import {shown, UploadProgressError} from '../errors.js';
import {multipartBody, nameOf, type MultipartFields} from './multipart-body.js';
import {cancelledError, sendUploadRequest} from './send-upload-request.js';
import {claimResumed, HANDED, persistUploads, type PersistOptions} from './upload-persistence.js';
import type {ResumableTransfer} from './resumable.js';
import {sending} from './leave-guard.js';
import {controls, taskControls, type Control} from './transfer-controls.js';
import {
  getUploadProgressManager,
  type UploadProgressManager,
} from '../manager/upload-progress-manager.js';
import type {HeadersOption, TransferHandle} from '../types.js';

/** The seed's upload endpoint. */
export const DEFAULT_UPLOAD_URL = '/api/files/upload';

/** Options of {@link uploadFiles}. */
export interface UploadFilesOptions {
  /** Where to POST the files. @defaultValue `'/api/files/upload'` */
  url?: string;
  /** The seed's `path` field (the destination folder); left out when not given. */
  path?: string;
  /** More text fields, sent before the files; an array repeats the field. */
  fields?: MultipartFields;
  /** The name of the file fields. @defaultValue `'files'` */
  fieldName?: string;
  /** Request headers; a (sync or async) function is asked before every request. */
  headers?: HeadersOption;
  /** Sends cookies to a server of another origin (`XMLHttpRequest.withCredentials`). */
  withCredentials?: boolean;
  /** Milliseconds a request may take in all, body and answer; `0`: no limit. @defaultValue `0` */
  timeout?: number;
  /**
   * Milliseconds without any sign of life (no byte sent, no byte of the answer) after which a
   * request is given up and its files end `failed`; `0`: never. A slow upload that keeps
   * moving never trips it; a server that takes the body and never answers does.
   * @defaultValue `60000`
   */
  idleTimeout?: number;
  /** The manager that shows the files. @defaultValue the shared one, which the elements use */
  manager?: UploadProgressManager;
  /**
   * Cancels: requests in progress are aborted, and files the server has not taken yet end
   * `failed` with "Cancelled". Files whose ids arrived are the server's to process already;
   * they are followed to their end (`manager.untrack()` stops that).
   */
  signal?: AbortSignal;
  /**
   * `'single'`: one request carrying every file (the seed's shape: its answer lists every
   * id). `'per-file'`: one request per file, `concurrency` at a time; a file the server
   * refuses does not stop the others.
   * @defaultValue `'single'`
   */
  requests?: 'single' | 'per-file';
  /**
   * Requests at once in `'per-file'` mode. The default leaves room for the progress streams
   * (4 by default) within the browser's 6 connections per host over HTTP/1.1.
   * @defaultValue `2`
   */
  concurrency?: number;
  /**
   * Remember the files in `sessionStorage` while they are in flight, so that after a reload
   * `resumeUploads()` shows them again (see `persistUploads`). `true` or where to store them.
   */
  persist?: boolean | PersistOptions;
  /** Makes the request object: tests, or a subclass that adds to every request. */
  createXhr?: () => XMLHttpRequest;
  /**
   * Sends each file resumably instead of in one POST: `tusTransfer({Upload, endpoint})` (tus
   * 1.0 through tus-js-client; see docs/uploading.md). Files can then be paused, resumed and
   * throttled, survive dropped connections and reloads, and go on from the server's offset.
   */
  tus?: ResumableTransfer;
  /**
   * While bytes are still to send, leaving the page asks first (`beforeunload`).
   * @defaultValue `true`
   */
  confirmLeave?: boolean;
}

/**
 * What {@link uploadFiles} returns: a promise of the server's `upload_ids` (in file order)
 * that also carries the files' keys in the manager, valid from the first byte.
 */
export interface UploadTask extends Promise<string[]> {
  /**
   * One key per file, in order: the local key the manager shows it under while it is sent,
   * which stays valid (as an alias of the server's id) after. Give them to the modal or the
   * list to show the files from the first byte.
   */
  readonly keys: readonly string[];
  /** Pauses the task's files (or one, by key) at once; `tus` only. @returns whether any paused */
  pause(key?: string): boolean;
  /** Resumes paused files from the server's offset. @returns whether any resumed */
  resume(key?: string): boolean;
  /**
   * Sends failed files again: from the server's offset with `tus`, from the start otherwise.
   * @returns whether any restarted (their rows go back to sending; the task's own promise
   *   stays settled)
   */
  retry(key?: string): boolean;
  /**
   * Caps each of the task's files (or one) at `bytesPerSecond`, at once and while they move
   * (`null`: no cap). For every file together, use the transfer's own `throttle()`.
   * @throws TypeError without the `tus` option: one POST cannot be slowed
   */
  throttle(bytesPerSecond: number | null, key?: string): void;
}

/**
 * Sends files to the server as `multipart/form-data` (fields `files` and `path`, as the seed
 * does) and shows them in a manager from the moment it is called: each file is tracked with
 * its name and size, in phase `transferring` while its bytes go out (per file, from its exact
 * place in the body), then `processing` once the server's ids arrive and its progress stream
 * takes over, then `done`. The manager's overall figure spans both phases (see its
 * `transferShare` option) and never goes back.
 *
 * The promise resolves with the server's `upload_ids`. It rejects with an
 * `UploadProgressError` whenever a file did not reach the server (every such file ends
 * `failed` with the error's message): `cancelled` ("Cancelled"), `upload-network`,
 * `upload-rejected` (a non-2xx answer, with the server's `detail`) or
 * `upload-invalid-answer` (no `upload_ids`, or not one per file). Nothing hangs: no answer
 * within `timeout` is an error too.
 *
 * @param files - a `FileList`, or any list of `File`s (a `Blob` is sent as `blob`)
 * @throws TypeError/RangeError (at once) for something that is not a file, or options that cannot work
 *
 * @example
 * const controller = new AbortController();
 * const upload = uploadFiles(input.files, {path: 'photos', signal: controller.signal});
 * modal.uploadIds = [...upload.keys]; // rows from the first byte
 * try {
 *   const ids = await upload;
 * } catch (error) {
 *   if (error.kind !== 'cancelled') console.error(error.message); // also shown in the rows
 * }
 */
export function uploadFiles(
  files: Iterable<Blob> | ArrayLike<Blob>,
  options: UploadFilesOptions = {},
): UploadTask {
  const list = Array.from(files as ArrayLike<Blob>);
  list.forEach((file, i) => {
    if (!(file instanceof Blob)) {
      throw new TypeError(
        `uploadFiles() takes files (File or Blob); item ${i} is ${String(file)}.`,
      );
    }
  });
  const settings = resolveUploadOptions(options);
  const manager = options.manager ?? getUploadProgressManager();
  const tus = options.tus;
  const prints = tus ? list.map((file) => tus.fingerprint(file)) : [];
  // A file a reload interrupted, chosen again, goes on in its row (see resumeUploads()).
  const handed = (options as {[HANDED]?: TransferHandle[]})[HANDED];
  const resumed = handed ? [] : prints.map((print) => claimResumed(print, manager));
  const fresh =
    handed ??
    manager.trackTransfers(
      list
        .filter((_, i) => !resumed[i])
        .map((file) => ({filename: nameOf(file), total_bytes: file.size})),
    );
  let next = 0;
  const handles = resumed.length ? resumed.map((h) => h ?? fresh[next++]!) : fresh;
  const keys = Object.freeze(handles.map((handle) => handle.key));
  if (options.persist) {
    persistUploads(keys, {
      ...(options.persist === true ? {} : options.persist),
      manager,
      resumable: tus && new Map(keys.map((key, i) => [key, prints[i]!])),
    });
  }
  return Object.assign(run(list, handles, settings), {keys}, taskControls(keys, !!tus));
}

interface Settings {
  url: string;
  fieldName: string;
  fields: MultipartFields;
  headers: HeadersOption | undefined;
  withCredentials: boolean;
  timeout: number;
  idleTimeout: number;
  signal: AbortSignal | undefined;
  perFile: boolean;
  concurrency: number;
  createXhr: () => XMLHttpRequest;
  tus: ResumableTransfer | undefined;
  confirmLeave: boolean;
}

function resolveUploadOptions(options: UploadFilesOptions): Settings {
  const {requests = 'single', concurrency = 2, timeout = 0, idleTimeout = 60_000} = options;
  if (requests !== 'single' && requests !== 'per-file') {
    throw new TypeError(`requests must be 'single' or 'per-file', got ${shown(requests)}.`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}.`);
  }
  if (!(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new RangeError(`timeout must be a finite number >= 0 (0: no limit), got ${timeout}.`);
  }
  if (!(idleTimeout >= 0) || !Number.isFinite(idleTimeout)) {
    throw new RangeError(
      `idleTimeout must be a finite number >= 0 (0: never), got ${idleTimeout}.`,
    );
  }
  const fields: MultipartFields = {...options.fields};
  if (options.path !== undefined) fields.path = options.path;
  const createXhr =
    options.createXhr ??
    (typeof XMLHttpRequest === 'function' ? () => new XMLHttpRequest() : undefined);
  if (!createXhr && !options.tus) {
    throw new TypeError(
      'uploadFiles() needs XMLHttpRequest (browsers and workers have it): pass createXhr here.',
    );
  }
  return {
    url: options.url ?? DEFAULT_UPLOAD_URL,
    fieldName: options.fieldName ?? 'files',
    fields,
    headers: options.headers,
    withCredentials: options.withCredentials ?? false,
    timeout,
    idleTimeout,
    signal: options.signal,
    perFile: requests === 'per-file' || !!options.tus,
    concurrency,
    createXhr: createXhr!,
    tus: options.tus,
    confirmLeave: options.confirmLeave ?? true,
  };
}

async function run(list: Blob[], handles: TransferHandle[], s: Settings): Promise<string[]> {
  const indices = list.map((_, i) => i);
  const groups = s.perFile ? indices.map((i) => [i]) : list.length ? [indices] : [];
  const ids: string[] = new Array<string>(list.length);
  let failure: UploadProgressError | undefined;
  const signal = s.signal;
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(s.fields)) {
    metadata[name] = Array.isArray(value) ? value.join(',') : String(value);
  }

  /** A file ended: its controls go, unless it failed (a row may retry it). */
  const settle = (i: number, error?: UploadProgressError) => {
    const key = handles[i]!.key;
    const c = controls.get(key);
    if (s.confirmLeave) sending(-1);
    if (error) handles[i]!.fail(error.message);
    if (c && error && error.kind !== 'cancelled') c.state = 'failed';
    else controls.delete(key);
  };
  const begin = (i: number, c: Control) => {
    if (s.confirmLeave) sending(1);
    controls.set(handles[i]!.key, c);
    handles[i]!.restart?.();
    handles[i]!.setPaused?.(false);
  };

  /** One file over the resumable transfer: settles with its first outcome. */
  const resumable = (i: number, tus: ResumableTransfer) =>
    new Promise<void>((resolve) => {
      const c: Control = {state: 'sending', retry: () => (begin(i, c), run.retry())};
      begin(i, c);
      const run = tus.send(list[i]!, {
        filename: nameOf(list[i]!),
        metadata,
        headers: s.headers,
        withCredentials: s.withCredentials,
        signal,
        handle: handles[i]!,
        onEnd: (id, why) => {
          if (id) ids[i] = id;
          const error =
            why &&
            (why === 'cancelled'
              ? cancelledError(signal)
              : new UploadProgressError(why.kind, why.message, {...why, uploadId: ''}));
          settle(i, error);
          failure ??= error;
          resolve();
        },
      });
      c.run = run;
    });

  const send = async (group: number[]) => {
    if (s.tus) return resumable(group[0]!, s.tus);
    const mine = group.map((i) => handles[i]!);
    for (const i of group) {
      const c: Control = {state: 'sending', retry: () => void send([i])};
      begin(i, c);
    }
    const {body, contentType, ranges} = multipartBody(
      group.map((i) => list[i]!),
      s.fieldName,
      s.fields,
    );
    let cursor = 0;
    try {
      const got = await sendUploadRequest({
        // url, headers, withCredentials, timeout, idleTimeout, signal, createXhr
        ...s,
        body,
        contentType,
        files: group.length,
        // Only the files between the last offset and this one change: cost per event does
        // not grow with the number of files.
        onProgress: (loaded) => {
          while (cursor < ranges.length) {
            const {start, end} = ranges[cursor]!;
            if (loaded <= start) break;
            mine[cursor]!.progress(Math.min(loaded, end) - start);
            if (loaded < end) break;
            cursor++;
          }
        },
      });
      got.forEach((id, j) => {
        ids[group[j]!] = id;
        mine[j]!.attach(id);
        settle(group[j]!);
      });
    } catch (error) {
      const reason =
        error instanceof UploadProgressError
          ? error
          : new UploadProgressError('upload-network', `The upload failed: ${String(error)}`, {
              uploadId: '',
              cause: error,
            });
      for (const i of group) settle(i, reason);
      failure ??= reason;
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < groups.length) await send(groups[next++]!);
  };
  await Promise.all(Array.from({length: Math.min(s.concurrency, groups.length)}, worker));
  if (failure) throw failure;
  return ids;
}

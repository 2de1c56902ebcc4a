import {UploadProgressError} from '../errors.js';
import type {HeadersOption} from '../types.js';

/** One multipart POST, as {@link sendUploadRequest} sends it. */
export interface UploadRequest {
  url: string;
  body: Blob;
  contentType: string;
  /** How many ids the answer must hold: one per file in the body. */
  files: number;
  headers?: HeadersOption | undefined;
  withCredentials?: boolean | undefined;
  /** Milliseconds for the whole request; `0`: no limit. */
  timeout?: number | undefined;
  /** Milliseconds without any sign of life (bytes sent, answer bytes) before giving up; `0`: never. */
  idleTimeout?: number | undefined;
  signal?: AbortSignal | undefined;
  createXhr: () => XMLHttpRequest;
  /** Bytes of the body sent so far. */
  onProgress: (loaded: number) => void;
}

const context = {uploadId: ''};

/** The error of a cancelled upload; its message is what a cancelled file shows. */
export function cancelledError(signal: AbortSignal | undefined): UploadProgressError {
  return new UploadProgressError('cancelled', 'Cancelled', {...context, cause: signal?.reason});
}

/** No answer: the request failed to go out, or nothing came back. */
const networkError = (message: string, cause?: unknown) =>
  new UploadProgressError('upload-network', message, {...context, cause});

/**
 * Sends one upload with `XMLHttpRequest` (fetch reports no upload progress) and reads the
 * server's answer: resolves with its `upload_ids`, or rejects with an
 * {@link UploadProgressError} of kind `cancelled`, `upload-network`, `upload-rejected` or
 * `upload-invalid-answer`. Aborting `signal` aborts the request at once.
 */
export async function sendUploadRequest(request: UploadRequest): Promise<string[]> {
  const {signal} = request;
  if (signal?.aborted) throw cancelledError(signal);
  let headers: Headers;
  try {
    const option = request.headers;
    // A headers function that never settles must not outlive a cancel.
    headers = new Headers(
      typeof option === 'function' ? await untilAborted(option(), signal) : option,
    );
  } catch (cause) {
    if (signal?.aborted) throw cancelledError(signal);
    throw networkError(
      `The headers option failed to provide headers, so the files were not sent (${describe(cause)}).`,
      cause,
    );
  }
  if (signal?.aborted) throw cancelledError(signal);

  const xhr = request.createXhr();
  return new Promise<string[]>((resolve, reject) => {
    const onAbort = () => xhr.abort();
    // A watchdog on silence, not on duration: a large upload may take an hour, but a server
    // that takes the body and never answers must not leave the files "sending" forever.
    const idleMs = request.idleTimeout ?? 0;
    let idle = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      if (!(idleMs > 0)) return;
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        idle = true;
        xhr.abort();
      }, idleMs);
    };
    /** Settles once, with the ids or the error that `outcome` gives. */
    const end = (outcome: () => string[]) => {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
      try {
        resolve(outcome());
      } catch (error) {
        reject(error);
      }
    };
    const fail = (error: () => UploadProgressError) => () =>
      end(() => {
        throw error();
      });
    xhr.upload.addEventListener('progress', (event) => {
      alive();
      request.onProgress(event.loaded);
    });
    xhr.upload.addEventListener('load', () => {
      alive();
      request.onProgress(request.body.size);
    });
    xhr.addEventListener('readystatechange', alive);
    xhr.addEventListener('progress', alive);
    xhr.addEventListener('load', () =>
      end(() => readAnswer(xhr.status, xhr.statusText, xhr.responseText, request.files)),
    );
    xhr.addEventListener(
      'error',
      fail(() =>
        networkError(
          'The upload did not reach the server (network error, or CORS): check the connection and try again.',
        ),
      ),
    );
    xhr.addEventListener(
      'timeout',
      fail(() =>
        networkError(
          `The server did not answer the upload within ${request.timeout} ms; try again.`,
        ),
      ),
    );
    xhr.addEventListener(
      'abort',
      fail(() =>
        idle
          ? networkError(
              `No sign of the server for ${idleMs / 1000} s while uploading, so the upload was stopped; try again.`,
            )
          : cancelledError(signal),
      ),
    );
    signal?.addEventListener('abort', onAbort, {once: true});
    try {
      xhr.open('POST', request.url);
      xhr.withCredentials = request.withCredentials ?? false;
      xhr.timeout = request.timeout ?? 0;
      headers.forEach((value, name) => {
        // Ours carries the boundary; another one would make the body unreadable.
        if (name !== 'content-type') xhr.setRequestHeader(name, value);
      });
      xhr.setRequestHeader('Content-Type', request.contentType);
      xhr.send(request.body);
      alive();
    } catch (cause) {
      fail(() => networkError(`The upload could not be sent (${describe(cause)}).`, cause))();
    }
  });
}

/** `value`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(value: T | Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(value);
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelledError(signal));
    signal.addEventListener('abort', onAbort, {once: true});
  });
  return Promise.race([value, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** The ids of a 2xx answer, or the error that says what is wrong with the answer. */
function readAnswer(status: number, statusText: string, text: string, files: number): string[] {
  if (status < 200 || status > 299) {
    const detail = detailOf(text);
    const label = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
    throw new UploadProgressError(
      'upload-rejected',
      detail
        ? `The server refused the upload (${label}): ${detail}`
        : `The server refused the upload (${label}).`,
      {...context, status},
    );
  }
  const invalid = (what: string) =>
    new UploadProgressError(
      'upload-invalid-answer',
      `The server took the upload but ${what}: it must answer JSON with one "upload_ids" entry per file (got: ${excerpt(text)}). Check the upload URL.`,
      {...context, status, data: text.slice(0, 200)},
    );
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw invalid('its answer is not JSON');
  }
  const ids = (answer as {upload_ids?: unknown} | null)?.upload_ids;
  if (!Array.isArray(ids)) throw invalid('its answer has no "upload_ids" list');
  if (!ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw invalid('its "upload_ids" are not all non-empty strings');
  }
  if (new Set(ids).size !== ids.length) throw invalid('its "upload_ids" repeat an id');
  if (ids.length !== files) {
    throw invalid(
      `it answered ${ids.length} upload id${ids.length === 1 ? '' : 's'} for ${files} file${files === 1 ? '' : 's'}`,
    );
  }
  return ids;
}

/** The server's own words: FastAPI's `detail` (a string or validation errors), or `message`. */
function detailOf(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const plain = text.trim();
    // A short plain-text reason is worth showing; an HTML error page is not.
    return plain && plain.length <= 300 && !plain.startsWith('<') ? plain : '';
  }
  if (!body || typeof body !== 'object') return '';
  const {detail, message} = body as {detail?: unknown; message?: unknown};
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => (typeof item?.msg === 'string' ? item.msg : ''))
      .filter(Boolean)
      .join('; ');
  }
  return typeof message === 'string' ? message : '';
}

function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (!one) return 'an empty body';
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

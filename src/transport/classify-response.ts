import {UploadProgressError} from '../errors.js';
import {parseRetryAfter} from './retry-policy.js';

/**
 * Decides, in one place, what an HTTP answer to a progress request means.
 *
 * Returns `null` for a usable event stream, else the error: final ones end the upload
 * `failed`, transient ones are retried with backoff.
 *
 * @param serverMessage - the server's own words from the body (e.g. FastAPI's `detail`), if read
 */
export function classifyResponse(
  response: Pick<Response, 'status' | 'headers'>,
  uploadId: string,
  attempt: number,
  now: number,
  serverMessage?: string,
): UploadProgressError | null {
  const {status} = response;
  const base = {uploadId, status, attempt};
  const said = serverMessage ? ` The server said: "${serverMessage}".` : '';

  if (status === 204) {
    // The SSE spec: 204 No Content tells the client to stop reconnecting.
    return new UploadProgressError(
      'no-content',
      `No progress to stream for this upload (HTTP 204).${said}`,
      base,
    );
  }
  if (status >= 200 && status < 300) {
    const type = response.headers.get('content-type') ?? '';
    // The media type alone, whatever parameters follow (`; charset=utf-8`), in any case.
    if (/^\s*text\/event-stream\s*(;|$)/i.test(type)) return null;
    return new UploadProgressError(
      'not-event-stream',
      `The progress URL answered ${type ? `"${type}"` : 'without a content type'} instead of ` +
        `text/event-stream: check progressUrl.`,
      base,
    );
  }
  if (status === 401 || status === 403) {
    const signedIn = status === 403;
    return new UploadProgressError(
      signedIn ? 'forbidden' : 'unauthorized',
      `${signedIn ? 'Not allowed' : 'Not signed in'} (HTTP ${status}).${said} Check the headers or credentials option.`,
      base,
    );
  }
  if (status === 404 || status === 410) {
    return new UploadProgressError(
      'not-found',
      `The server does not know this upload (HTTP ${status}): the id is wrong, or its session expired.${said}`,
      base,
    );
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  if (status === 429) {
    return new UploadProgressError(
      'rate-limited',
      `Rate-limited by the server (HTTP 429).${said}`,
      {...base, retryAfter},
    );
  }
  if (status >= 500 || status === 408) {
    return new UploadProgressError(
      'server-error',
      `The server failed to answer (HTTP ${status}).${said}`,
      {...base, retryAfter},
    );
  }
  return new UploadProgressError(
    'http-status',
    `The progress request was refused (HTTP ${status}).${said} Check progressUrl.`,
    base,
  );
}

/** `value`, cut to `max` characters with an ellipsis. */
export function clip(value: string, max = 200): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

// Types for server.mjs, so TypeScript tests import it with full types (the project
// compiles with allowJs off).

import type {IncomingMessage, Server, ServerResponse} from 'node:http';

/** One upload's state, as the seed's Pydantic model serializes it. */
export interface UploadProgress {
  upload_id: string;
  filename: string;
  total_bytes: number;
  uploaded_bytes: number;
  status: 'uploading' | 'completed' | 'failed';
  error: string | null;
  started_at: string | null;
  completed_at: string | null;
  progress_percentage: number;
}

/**
 * Behaviours of real servers and proxies. Server-wide defaults come from the options;
 * an upload POST overrides them for its own sessions with a `mock` multipart field of
 * JSON (`{"fail": ["a.txt"], "stepMs": 20}`); a progress GET overrides the stream
 * switches (crlf, heartbeatMs, ids, retryMs, cutAfterMs, cutHard, unnamedEvents,
 * nullFields) for its connection with query parameters (`?crlf=1&heartbeatMs=50`).
 */
export interface Switches {
  /** Processing steps per file. @defaultValue 10 */
  steps: number;
  /** Milliseconds between steps. @defaultValue 150 */
  stepMs: number;
  /** When > 0, a file takes at least size / bytesPerSecond seconds to process. @defaultValue 0 */
  bytesPerSecond: number;
  /** A session is deleted this long after it ends. @defaultValue 60000 */
  expireMs: number;
  /** CRLF line ends, as sse-starlette writes them. @defaultValue false */
  crlf: boolean;
  /** Send `: ping` comments this often; 0 never. @defaultValue 0 */
  heartbeatMs: number;
  /** Send `id:` fields (growing per upload) and resume after `Last-Event-ID`. @defaultValue false */
  ids: boolean;
  /** Send `retry: N` first; 0 never. @defaultValue 0 */
  retryMs: number;
  /** Files (by name) that end `failed`; `true` fails every file. @defaultValue false */
  fail: boolean | string[];
  /** The step at which a failing file fails; 0 means half-way. @defaultValue 0 */
  failAtStep: number;
  /** @defaultValue 'Processing failed: corrupted file' */
  failMessage: string;
  /** The Nth progress request for an upload answers this status, e.g. `{"1": 503, "2": 429}`. @defaultValue {} */
  statusOnAttempt: Record<string, number>;
  /** `Retry-After` seconds sent with injected 429/503; null omits it. @defaultValue 1 */
  retryAfter: number | null;
  /** End each progress response after this long without a terminal message; 0 never. @defaultValue 0 */
  cutAfterMs: number;
  /** Cut by destroying the socket (an abrupt drop) rather than ending the response. @defaultValue false */
  cutHard: boolean;
  /** Omit the `event:` line, so clients see `message` events. @defaultValue false */
  unnamedEvents: boolean;
  /** Send `null` for absent optional fields; false omits the keys. @defaultValue true */
  nullFields: boolean;
}

export const DEFAULT_SWITCHES: Readonly<Switches>;

export interface MockServerOptions extends Partial<Switches> {
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Largest upload body accepted; larger ones get 413. @defaultValue 100 MiB */
  maxUploadBytes?: number;
  /**
   * Offer `GET /api/files/progress?ids=a,b,c`, many uploads in one stream (off: 404, as the
   * seed's backend). A request's `multiplex=1` / `multiplex=0` query overrides it.
   * @defaultValue false
   */
  multiplex?: boolean;
  /** Handles every path outside `/api/` (the demo serves its static files here). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export interface RequestCounts {
  /** Every request. */
  total: number;
  /** `POST /api/files/upload` requests, answered or not. */
  upload: number;
  /** `GET /api/files/progress/{id}` requests, whatever their answer. */
  progress: number;
  /** CORS preflights. */
  preflight: number;
  /** `GET /api/files/progress?ids=…` requests, whatever their answer. */
  multiplex: number;
  /** Anything else (fallback, 404, 405). */
  other: number;
  /** Uploads whose client disconnected mid-body. */
  aborted: number;
}

export interface MockServerStats {
  /** Progress responses open right now. */
  openStreams: number;
  /** The most open at once since start or `reset()`. */
  peakOpenStreams: number;
  /** Upload sessions created since start or `reset()`. */
  uploads: number;
  /** Sessions held now (not yet expired). */
  sessions: number;
  requests: RequestCounts;
  /** Progress requests per upload id since start or `reset()`. */
  attempts: Record<string, number>;
  /** The tus endpoint (`/api/files/tus`, test/mock-server/tus.mjs). */
  tus: TusStats;
}

/** One tus upload as the mock's tus endpoint saw it. */
export interface TusUploadStats {
  filename: string;
  size: number;
  /** Bytes received for it over every request: a resent byte counts twice. */
  received: number;
  /** PATCH requests for it. */
  patches: number;
  /** Connections the server cut for it (its `cutAt` switch). */
  cuts: number;
  /** Set once every byte arrived (the `Upload-Progress-Id` it answered). */
  processingId: string | null;
  /** Deleted by the client (tus termination). */
  terminated: boolean;
}

export interface TusStats {
  /** The server's `performance.now()`, to measure rates between two reads. */
  now: number;
  /** Bytes received over every tus upload since start or `reset()`. */
  received: number;
  created: number;
  completed: number;
  terminated: number;
  /** By tus id (the last segment of the upload URL). */
  uploads: Record<string, TusUploadStats>;
}

export interface MockServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Ends every open progress stream, stops processing and closes the server. Idempotent. */
  close(): Promise<void>;
  stats(): MockServerStats;
  /** Zeroes the counters (the peak restarts from the streams open now); sessions and streams are kept. */
  reset(): void;
  /** Changes server-wide default switches for uploads made from now on; turns multiplex on or off. */
  configure(switches: Partial<Switches> & {multiplex?: boolean}): void;
  /** The current state of an upload, or null once unknown or expired. */
  getProgress(uploadId: string): UploadProgress | null;
}

/**
 * Starts the mock backend on 127.0.0.1.
 *
 * @example
 * const server = await startMockServer({ stepMs: 10 });
 * const form = new FormData();
 * form.append('files', new File(['hello'], 'a.txt'));
 * form.append('mock', JSON.stringify({ fail: ['a.txt'] }));
 * const res = await fetch(`${server.url}/api/files/upload`, { method: 'POST', body: form });
 * await server.close();
 */
export function startMockServer(options?: MockServerOptions): Promise<MockServer>;

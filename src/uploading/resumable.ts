import type {TransferHandle} from '../types.js';

// Types only: what `uploadFiles()` asks of a resumable transfer. The implementation
// (`tusTransfer()`, src/uploading/tus-transfer.ts) is handed in by the caller, so the core and
// the default script tag carry none of it.

/** Why one file's resumable transfer stopped for good (retries spent, or a refusal). */
export interface ResumableFailure {
  /** `upload-network`: no answer; `upload-rejected`: a 4xx/5xx; `upload-invalid-answer`: no processing id. */
  kind: 'upload-network' | 'upload-rejected' | 'upload-invalid-answer';
  message: string;
  status?: number | undefined;
  cause?: unknown;
}

/** One file, as `uploadFiles()` hands it to {@link ResumableTransfer.send}. */
export interface ResumableJob {
  filename: string;
  /** Text fields to send along (the `path` and `fields` options), as the protocol allows. */
  metadata: Record<string, string>;
  /** Request headers, asked before every request when a function. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>) | undefined;
  withCredentials?: boolean | undefined;
  /** Aborting it stops the file and tells the server to delete what it has. */
  signal?: AbortSignal | undefined;
  /** The file's entry in the manager: the transfer reports bytes, pauses and the id to it. */
  handle: TransferHandle;
  /**
   * An attempt ended: with the id the server names (already attached to the handle), or why
   * not (`'cancelled'`, or retries spent / a refusal; the file waits for `retry()` then).
   */
  onEnd(uploadId: string | null, why?: ResumableFailure | 'cancelled'): void;
}

/** One file on its way: what a row's buttons and the task's methods drive. */
export interface ResumableRun {
  /** Stops moving bytes at once (the request in flight is aborted; the server keeps what it got). */
  pause(): void;
  /** Goes on from the offset the server has. */
  resume(): void;
  /** After a failed attempt: starts again from the offset the server has. */
  retry(): void;
  /** Caps this file's rate in bytes per second (`null`: no cap of its own); takes effect at once. */
  throttle(bytesPerSecond: number | null): void;
}

/**
 * A resumable way of sending files, for `uploadFiles(files, {tus})`. `tusTransfer()` makes
 * one from tus-js-client's `Upload` class.
 */
export interface ResumableTransfer {
  /** The same file to the same endpoint gives the same string, across reloads. */
  fingerprint(file: Blob): string;
  /** Starts sending one file (resuming what the server has of it, if anything). */
  send(file: Blob, job: ResumableJob): ResumableRun;
  /** Caps the rate of every file sent through this transfer together (`null`: no cap). */
  throttle(bytesPerSecond: number | null): void;
}

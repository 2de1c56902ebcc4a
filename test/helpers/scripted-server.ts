// Types only: adapter tests load the core from dist/ and extend this class.
import type {UploadProgress} from '../../src/index.js';
import {ControlledBody, eventStream, message, record} from './sse.js';

/**
 * An injected `fetch` standing in for the progress endpoint: one controllable event stream
 * per request, and counts of the connections open now and at most (a request is open until
 * its signal aborts or its body ends), so a test sees the budget and that nothing is left open.
 */
export class ScriptedServer {
  readonly bodies = new Map<string, ControlledBody>();
  readonly signals = new Map<string, AbortSignal>();
  /** Upload ids in the order they were requested (a reconnection appears again). */
  readonly requested: string[] = [];
  open = 0;
  peak = 0;

  readonly fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const id = decodeURIComponent(String(input).split('/').pop()!);
    this.requested.push(id);
    const body = new ControlledBody();
    this.bodies.set(id, body);
    this.signals.set(id, init.signal!);
    this.open++;
    this.peak = Math.max(this.peak, this.open);
    let counted = true;
    const closed = () => {
      if (counted) this.open--;
      counted = false;
    };
    init.signal?.addEventListener('abort', closed);
    return eventStream(body.stream.pipeThrough(new TransformStream({flush: closed})));
  }) as typeof fetch;

  /** Writes one progress record to the upload's stream. */
  send(id: string, progress: Partial<UploadProgress> = {}): void {
    const body = this.bodies.get(id);
    if (!body) throw new Error(`no connection for ${id}`);
    body.push(message(record({upload_id: id, ...progress})));
  }

  /** Sends the terminal record and ends the stream, as the seed's server does. */
  complete(id: string, totalBytes = 1000): void {
    this.send(id, {
      status: 'completed',
      total_bytes: totalBytes,
      uploaded_bytes: totalBytes,
      progress_percentage: 100,
    });
    this.bodies.get(id)!.end();
  }

  /** How many times an upload was requested. */
  requests(id: string): number {
    return this.requested.filter((requested) => requested === id).length;
  }
}

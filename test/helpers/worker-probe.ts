// Runs in a module Web Worker: no DOM, no window. Follows one upload with the core and posts
// back what it saw.
import {UploadProgressStream} from '../../src/index.js';

const body =
  'event: progress\r\ndata: {"upload_id":"w1","filename":"w.txt","total_bytes":10,"uploaded_bytes":4,"status":"uploading","progress_percentage":40}\r\n\r\n' +
  'event: progress\r\ndata: {"upload_id":"w1","filename":"w.txt","total_bytes":10,"uploaded_bytes":10,"status":"completed","progress_percentage":100}\r\n\r\n';

const fetchFn = (async () =>
  new Response(body, {headers: {'content-type': 'text/event-stream'}})) as typeof fetch;

const seen: unknown[] = [];
const stream = new UploadProgressStream('w1', {fetch: fetchFn});
stream.subscribe((progress) => {
  seen.push(progress && progress.progress_percentage);
  if (progress?.status === 'completed') {
    postMessage({seen, hasDocument: typeof document !== 'undefined', state: stream.state});
  }
});

// What the page can do to the files it sends, by key: pause, resume, retry, throttle. Apart
// from upload-files.ts so that the script tag's stubs can stand in for both until its
// uploading sibling arrives (components/script-tag/transfer-controls-stub.ts): only the
// sending code registers files here, so until then no key has an action.
import type {ResumableRun} from './resumable.js';

/** One file the page sends, while it can still be paused, resumed or retried. */
export interface Control {
  state: 'sending' | 'paused' | 'failed';
  /** A resumable transfer's run; absent for one POST. */
  run?: ResumableRun;
  retry: () => void;
}

/** Per local key; a file leaves once sent or cancelled (a failed one stays, for `retry`). */
export const controls = new Map<string, Control>();

/** What can be done to a file being sent, by {@link controlUpload}. */
export type UploadAction = 'pause' | 'resume' | 'retry';

/**
 * Acts on a file the page sends, by its key: `pause` (at once) and `resume` (from the
 * server's offset) for files sent with the `tus` option, `retry` for a failed file (from the
 * server's offset with `tus`, from the start otherwise). Rows' buttons call it.
 * @returns whether it applied
 */
export function controlUpload(key: string, action: UploadAction): boolean {
  const c = controls.get(key);
  const from = action === 'pause' ? 'sending' : action === 'resume' ? 'paused' : 'failed';
  if (c?.state !== from || (action !== 'retry' && !c.run)) return false;
  c.state = action === 'pause' ? 'paused' : 'sending';
  if (action === 'retry') c.retry();
  else c.run![action]();
  return true;
}

/** The action a row may offer for a key now (see {@link controlUpload}), or `null`. */
export function uploadAction(key: string): UploadAction | null {
  const c = controls.get(key);
  if (c?.state === 'failed') return 'retry';
  return c?.run ? (c.state === 'paused' ? 'resume' : 'pause') : null;
}

/** The methods of an `UploadTask` over its keys (see `UploadTask`). */
export function taskControls(keys: readonly string[], resumable: boolean) {
  const mine = (key?: string) => keys.filter((k) => key === undefined || k === key);
  const act = (action: UploadAction) => (key?: string) =>
    mine(key).filter((k) => controlUpload(k, action)).length > 0;
  return {
    pause: act('pause'),
    resume: act('resume'),
    retry: act('retry'),
    throttle(rate: number | null, key?: string): void {
      if (!resumable) {
        throw new TypeError('throttle() needs the tus option.');
      }
      for (const k of mine(key)) controls.get(k)?.run?.throttle(rate);
    },
  };
}

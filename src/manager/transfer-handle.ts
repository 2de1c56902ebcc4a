// The handle of a file this page sends (`trackTransfers()`): what each of its calls does to the
// file's record. Apart from the manager, which owns the records and the order they are listed
// in: a handle only changes its own record, then has the manager take the change in.
import {shown} from '../errors.js';
import {failedProgress} from '../stream/normalize-progress.js';
import type {TransferHandle} from '../types.js';
import type {Live} from './in-flight.js';
import type {SettledLog} from './settled-log.js';

/**
 * Bytes sent plus bytes processed: what the manager's speed counts (its own `#moved`, the
 * same sum, stays a private method there: it runs per event).
 */
const moved = (live: Live) => (live.sent ?? 0) + (live.progress?.uploaded_bytes ?? 0);

/**
 * The handle of `live`, a file being sent, still under its local key. The manager's part:
 * @param inFlight - its uploads in flight, by key
 * @param settled - its settled uploads
 * @param refresh - takes in a change of a record: counts the bytes moved, rebuilds its entry,
 *   settles it
 * @param attach - lists the file under the server's id and starts following its progress
 */
export function transferHandle(
  live: Live,
  inFlight: ReadonlyMap<string, Live>,
  settled: SettledLog,
  refresh: (live: Live, movedBefore: number, settled: boolean) => void,
  attach: (live: Live, uploadId: string) => void,
): TransferHandle {
  const key = live.id;
  // Every call is a no-op once the file was attached, failed, untracked or closed.
  const sending = () => inFlight.get(live.id) === live && !live.following;
  return {
    key,
    progress: (sentBytes) => {
      if (!sending()) return;
      const sent = Math.min(live.totalBytes ?? 0, Math.floor(Number(sentBytes) || 0));
      if (sent <= (live.sent ?? 0)) return;
      const before = moved(live);
      live.sent = sent;
      refresh(live, before, false);
    },
    attach: (uploadId) => {
      if (typeof uploadId !== 'string' || uploadId === '') {
        throw new TypeError(`attach() takes a non-empty id, got ${shown(uploadId)}.`);
      }
      if (!sending()) return;
      attach(live, uploadId);
    },
    fail: (reason) => {
      if (!sending()) return;
      const before = moved(live);
      live.progress = failedProgress(null, key, String(reason), {
        filename: live.filename,
        total_bytes: live.totalBytes,
      });
      live.connection = 'closed';
      live.paused = false;
      refresh(live, before, true);
    },
    setPaused: (paused) => {
      if (!sending() || !live.paused === !paused) return;
      live.paused = paused;
      refresh(live, moved(live), false);
    },
    restart: () => {
      // Only a transfer that failed before it was attached is still under its own key.
      if (live.following || live.progress?.status !== 'failed' || !settled.has(key)) return false;
      settled.filter((id) => id !== key);
      live.progress = null;
      live.connection = 'idle';
      refresh(live, moved(live), false);
      return true;
    },
  };
}

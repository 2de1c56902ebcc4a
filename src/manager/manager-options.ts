// The manager's own options, apart from the manager: what a user may pass on top of a stream's
// options, each with what it does (checked by the manager's constructor).
import type {AdvancedOptions} from '../stream/resolve-options.js';
import type {ProgressOptions} from '../types.js';

/** Options of {@link UploadProgressManager}. */
export interface UploadProgressManagerOptions extends ProgressOptions, AdvancedOptions {
  /**
   * How listeners are told of changes: many events become one call. The default runs once
   * per task (a microtask); pass `requestAnimationFrame` to get one call per frame.
   */
  schedule?: (flush: () => void) => void;
  /**
   * For files sent with `uploadFiles()`: the share of each byte's progress earned by sending
   * it, the rest being earned as the server processes it. `0` counts processing alone (as
   * for uploads tracked by id), `1` the transfer alone.
   * @defaultValue `0.5`
   */
  transferShare?: number;
  /**
   * The server's endpoint for many uploads in one stream (`GET <multiplexUrl>?ids=a,b,c`,
   * see docs/core.md): uploads are then followed in batches over one connection each
   * (split so that no URL passes 4 KB), one slot of the budget per batch. A server that
   * answers it 404, 405 or 501 is followed one stream per upload, as without it.
   * @example '/api/files/progress'
   */
  multiplexUrl?: string;
}

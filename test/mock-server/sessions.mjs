// Upload sessions as the seed's UploadProgressManager keeps them: created when the POST
// arrives, advanced while the backend "processes" the file, ended as completed or
// failed, and deleted `expireMs` after they end.

import {randomUUID} from 'node:crypto';
import {shouldFail} from './switches.mjs';

/** @typedef {import('./switches.mjs').Switches} Switches */

/**
 * @typedef {object} UploadProgress
 * @property {string} upload_id
 * @property {string} filename
 * @property {number} total_bytes
 * @property {number} uploaded_bytes
 * @property {'uploading' | 'completed' | 'failed'} status
 * @property {string | null} error
 * @property {string | null} started_at
 * @property {string | null} completed_at
 * @property {number} progress_percentage
 */

/**
 * Called with every new state; `version` grows by one per change (used for `id:` fields).
 * @typedef {(progress: UploadProgress, version: number) => void} SessionListener
 */

/**
 * @typedef {object} Session
 * @property {UploadProgress} progress The current state; replaced, never mutated.
 * @property {number} version
 * @property {number} seq The store-wide change counter at this session's last change (the
 *   multiplexed stream's `id:`, see multiplex.mjs).
 * @property {Switches} switches
 * @property {number} attempts Progress requests seen for this upload.
 * @property {Set<SessionListener>} listeners
 * @property {ReturnType<typeof setTimeout> | undefined} timer
 */

/** @param {UploadProgress['status']} status */
export function isTerminal(status) {
  return status === 'completed' || status === 'failed';
}

/**
 * @param {number} uploaded
 * @param {number} total
 * @param {UploadProgress['status']} status
 */
function percentage(uploaded, total, status) {
  if (total > 0) return (uploaded / total) * 100;
  return status === 'completed' ? 100 : 0;
}

export class SessionStore {
  /** @type {Map<string, Session>} */
  #sessions = new Map();
  #created = 0;
  /** Grows by one per change of any session. */
  sequence = 0;

  get size() {
    return this.#sessions.size;
  }

  /** Sessions created since the last `resetCount()`. */
  get created() {
    return this.#created;
  }

  resetCount() {
    this.#created = 0;
  }

  /** @param {string} id */
  get(id) {
    return this.#sessions.get(id);
  }

  /**
   * @param {string} filename
   * @param {number} totalBytes
   * @param {Switches} switches
   * @returns {Session}
   */
  create(filename, totalBytes, switches) {
    const id = `${switches.idPrefix}${randomUUID()}`;
    /** @type {Session} */
    const session = {
      progress: {
        upload_id: id,
        filename,
        total_bytes: totalBytes,
        uploaded_bytes: 0,
        status: 'uploading',
        error: null,
        started_at: new Date().toISOString(),
        completed_at: null,
        progress_percentage: 0,
      },
      version: 1,
      seq: ++this.sequence,
      switches,
      attempts: 0,
      listeners: new Set(),
      timer: undefined,
    };
    this.#sessions.set(id, session);
    this.#created++;
    return session;
  }

  /**
   * Simulates the backend processing the received file in `steps` steps. The last step
   * reports every byte while still `uploading`, then `completed` follows at once, as a
   * backend that updates progress and then marks the upload done would send them.
   *
   * @param {Session} session
   */
  process(session) {
    const {steps, stepMs, bytesPerSecond, failAtStep, failMessage} = session.switches;
    const total = session.progress.total_bytes;
    const minimumMs = bytesPerSecond > 0 ? (total / bytesPerSecond) * 1000 : 0;
    const interval = Math.max(stepMs, minimumMs / steps);
    const failing = shouldFail(session.switches, session.progress.filename);
    const failStep = Math.min(
      steps,
      failAtStep > 0 ? Math.round(failAtStep) : Math.max(1, Math.floor(steps / 2)),
    );
    let step = 0;
    const tick = () => {
      step++;
      if (failing && step >= failStep) {
        this.#update(session, {
          status: 'failed',
          error: failMessage,
          completed_at: new Date().toISOString(),
        });
        return;
      }
      this.#update(session, {uploaded_bytes: Math.round((total * step) / steps)});
      if (step >= steps) {
        this.#update(session, {status: 'completed', completed_at: new Date().toISOString()});
        return;
      }
      session.timer = setTimeout(tick, interval);
    };
    session.timer = setTimeout(tick, interval);
  }

  /**
   * @param {Session} session
   * @param {SessionListener} listener
   * @returns {() => void} unsubscribe
   */
  subscribe(session, listener) {
    session.listeners.add(listener);
    return () => session.listeners.delete(listener);
  }

  /** Stops every timer and forgets every session. */
  clear() {
    for (const session of this.#sessions.values()) {
      clearTimeout(session.timer);
      session.listeners.clear();
    }
    this.#sessions.clear();
  }

  /**
   * @param {Session} session
   * @param {Partial<UploadProgress>} patch
   */
  #update(session, patch) {
    const next = {...session.progress, ...patch};
    next.progress_percentage = percentage(next.uploaded_bytes, next.total_bytes, next.status);
    session.progress = next;
    session.version++;
    session.seq = ++this.sequence;
    for (const listener of [...session.listeners]) listener(next, session.version);
    if (isTerminal(next.status)) {
      session.listeners.clear();
      const id = next.upload_id;
      session.timer = setTimeout(() => this.#sessions.delete(id), session.switches.expireMs);
      session.timer.unref();
    }
  }
}

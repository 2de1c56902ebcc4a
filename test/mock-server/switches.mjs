// Switches make the mock behave like the servers users really run (sse-starlette's CRLF,
// proxies that cut connections, load balancers answering 503...). They come from three
// places, each overriding the one before: the server's options, the `mock` multipart
// field of one upload POST (applies to that upload's sessions only, so parallel tests
// never interfere), and query parameters of one progress GET (that connection only).

/**
 * @typedef {object} Switches
 * @property {number} steps Processing steps per file.
 * @property {number} stepMs Milliseconds between steps.
 * @property {number} bytesPerSecond When > 0, a file takes at least size / bytesPerSecond to process.
 * @property {number} expireMs A session is deleted this long after it ends (the seed: 60 s).
 * @property {boolean} crlf End lines with CRLF, as sse-starlette does.
 * @property {number} heartbeatMs Send a `: ping` comment this often (0 = never).
 * @property {boolean} ids Send `id:` fields and honour `Last-Event-ID`.
 * @property {number} retryMs Send `retry:` with this value first (0 = never).
 * @property {boolean | string[]} fail Fail these filenames (`true`: every file).
 * @property {number} failAtStep The step at which a failing file fails (0 = half-way).
 * @property {string} failMessage The `error` of a failed upload.
 * @property {Record<string, number>} statusOnAttempt The Nth progress request for an upload answers this status.
 * @property {number | null} retryAfter `Retry-After` seconds on injected 429/503 (null = omit).
 * @property {number} cutAfterMs End each progress response after this long, without a terminal message (0 = never).
 * @property {boolean} cutHard Cut by destroying the socket instead of ending the response cleanly.
 * @property {boolean} unnamedEvents Omit the `event:` line (clients see `message` events).
 * @property {boolean} nullFields Send `null` for absent optional fields (as Pydantic does); false omits them.
 * @property {string} idPrefix Upload ids start with this (e.g. `a/b?c#d `), to test ids that need encoding.
 * @property {number} dripMs Write the stream one byte at a time, this many ms apart (0 = off).
 * @property {number} stallAfterMs After this long, write nothing more, not even heartbeats, and keep the
 *   connection open: a proxy that goes idle (0 = never).
 * @property {number} silentFirstMs For this long after connecting, send only heartbeats (no progress,
 *   not even the current state) (0 = off).
 * @property {number} malformedEvery After every Nth message, also send an event whose JSON is broken (0 = never).
 * @property {number} oversizedFirstBytes On an upload's first connection, send one event this large first (0 = never).
 * @property {boolean} absurdNumbers Non-terminal messages carry absurd numbers (percentage 1e999, bytes -42).
 * @property {number} faultRate The chance (0..1) that one connection gets the connection faults above
 *   (cuts, drips, stalls, silences, malformed events); 1: every connection. Faults "at random".
 */

/** @type {Readonly<Switches>} */
export const DEFAULT_SWITCHES = Object.freeze({
  steps: 10,
  stepMs: 150,
  bytesPerSecond: 0,
  expireMs: 60_000,
  crlf: false,
  heartbeatMs: 0,
  ids: false,
  retryMs: 0,
  fail: false,
  failAtStep: 0,
  failMessage: 'Processing failed: corrupted file',
  statusOnAttempt: {},
  retryAfter: 1,
  cutAfterMs: 0,
  cutHard: false,
  unnamedEvents: false,
  nullFields: true,
  idPrefix: '',
  dripMs: 0,
  stallAfterMs: 0,
  silentFirstMs: 0,
  malformedEvery: 0,
  oversizedFirstBytes: 0,
  absurdNumbers: false,
  faultRate: 1,
});

/** Switches that only change how one connection's stream is written. */
export const STREAM_SWITCHES = /** @type {const} */ ([
  'crlf',
  'heartbeatMs',
  'ids',
  'retryMs',
  'cutAfterMs',
  'cutHard',
  'unnamedEvents',
  'nullFields',
  'dripMs',
  'stallAfterMs',
  'silentFirstMs',
  'malformedEvery',
  'absurdNumbers',
]);

const NUMBER_SWITCHES = new Set([
  'steps',
  'stepMs',
  'bytesPerSecond',
  'expireMs',
  'heartbeatMs',
  'retryMs',
  'failAtStep',
  'cutAfterMs',
  'dripMs',
  'stallAfterMs',
  'silentFirstMs',
  'malformedEvery',
  'oversizedFirstBytes',
  'faultRate',
]);
const BOOLEAN_SWITCHES = new Set([
  'crlf',
  'ids',
  'cutHard',
  'unnamedEvents',
  'nullFields',
  'absurdNumbers',
]);

export class SwitchError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'SwitchError';
  }
}

/**
 * Checks and normalizes a partial set of switches. Unknown names and wrong types throw
 * a SwitchError, so a typo in a test fails loudly instead of silently doing nothing.
 *
 * @param {unknown} input
 * @returns {Partial<Switches>}
 */
export function validateSwitches(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SwitchError('switches must be a JSON object');
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_SWITCHES)) {
      throw new SwitchError(
        `unknown switch "${name}"; known: ${Object.keys(DEFAULT_SWITCHES).join(', ')}`,
      );
    }
    if (NUMBER_SWITCHES.has(name)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new SwitchError(`switch "${name}" must be a number >= 0`);
      }
    } else if (BOOLEAN_SWITCHES.has(name)) {
      if (typeof value !== 'boolean')
        throw new SwitchError(`switch "${name}" must be true or false`);
    } else if (name === 'fail') {
      const ok =
        typeof value === 'boolean' ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      if (!ok) throw new SwitchError('switch "fail" must be true, false or an array of filenames');
    } else if (name === 'failMessage' || name === 'idPrefix') {
      if (typeof value !== 'string') throw new SwitchError(`switch "${name}" must be a string`);
    } else if (name === 'retryAfter') {
      if (value !== null && (typeof value !== 'number' || value < 0)) {
        throw new SwitchError('switch "retryAfter" must be a number of seconds or null');
      }
    } else if (name === 'statusOnAttempt') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new SwitchError('switch "statusOnAttempt" must be an object like {"1": 503}');
      }
      for (const [attempt, status] of Object.entries(value)) {
        if (
          !/^[1-9]\d*$/.test(attempt) ||
          typeof status !== 'number' ||
          status < 100 ||
          status > 599
        ) {
          throw new SwitchError(
            'switch "statusOnAttempt" maps attempt numbers (1, 2, ...) to HTTP statuses',
          );
        }
      }
    }
    out[name] = value;
  }
  if (typeof out.faultRate === 'number' && out.faultRate > 1) {
    throw new SwitchError('switch "faultRate" is a chance between 0 and 1');
  }
  const steps = out.steps;
  if (typeof steps === 'number' && (steps < 1 || !Number.isInteger(steps))) {
    throw new SwitchError('switch "steps" must be a whole number >= 1');
  }
  return /** @type {Partial<Switches>} */ (out);
}

/**
 * Parses the `mock` multipart field of an upload POST.
 *
 * @param {string} text JSON of switch names to values, e.g. `{"fail": ["a.txt"], "crlf": true}`.
 * @returns {Partial<Switches>}
 */
export function parseMockField(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SwitchError('the "mock" field must be JSON, e.g. {"fail": ["a.txt"]}');
  }
  return validateSwitches(parsed);
}

/**
 * Reads per-connection switches from a progress URL's query, e.g. `?crlf=1&heartbeatMs=50`.
 * Only the switches that shape the stream are read; others are ignored.
 *
 * @param {URLSearchParams} params
 * @returns {Partial<Switches>}
 */
export function parseQuerySwitches(params) {
  /** @type {Record<string, unknown>} */
  const raw = {};
  for (const name of STREAM_SWITCHES) {
    const text = params.get(name);
    if (text === null) continue;
    if (BOOLEAN_SWITCHES.has(name)) {
      raw[name] = text === '' || text === '1' || text === 'true';
    } else {
      raw[name] = Number(text);
    }
  }
  return validateSwitches(raw);
}

/**
 * @param {Switches} switches
 * @param {string} filename
 */
/** Switches that break one connection, applied with the chance `faultRate`. */
const CONNECTION_FAULTS = /** @type {const} */ ({
  cutAfterMs: 0,
  cutHard: false,
  dripMs: 0,
  stallAfterMs: 0,
  silentFirstMs: 0,
  malformedEvery: 0,
});

/**
 * This connection's switches: the connection faults stay only with the chance `faultRate`.
 *
 * @param {Switches} switches
 * @param {() => number} [random]
 * @returns {Switches}
 */
export function connectionSwitches(switches, random = Math.random) {
  if (switches.faultRate >= 1 || random() < switches.faultRate) return switches;
  return {...switches, ...CONNECTION_FAULTS};
}

/**
 * @param {Switches} switches
 * @param {string} filename
 */
export function shouldFail(switches, filename) {
  return (
    switches.fail === true || (Array.isArray(switches.fail) && switches.fail.includes(filename))
  );
}

// What `npm start` and `npm test` install when a fresh clone lacks it, so the README's two
// commands are all a newcomer runs (and CI runs the same: .ci/run is `npm ci` + `npm test`).
// Node built-ins only: this runs before node_modules exists.
import {spawnSync} from 'node:child_process';
import {existsSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromePath} from '../test/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(command, args) {
  console.log(`[setup] ${[command, ...args].join(' ')}`);
  // No stdin: nothing may wait for an answer (CI has none either).
  const result = spawnSync(command, args, {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
  return result.status === 0;
}

/**
 * `npm ci` when node_modules is missing or older than the lockfile (a pull that changed the
 * dependencies). Returns false when it could not install.
 */
export function ensureDependencies() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return true;
  console.log('[setup] the npm dependencies are missing or out of date: installing them');
  return sh(npm, ['ci', '--no-audit', '--no-fund']);
}

/** Whether a command runs (exit 0) without printing anything. */
const works = (command, args) => spawnSync(command, args, {stdio: 'ignore'}).status === 0;

/**
 * Debian's Chromium for the browser tests (nothing may download a browser build): installed
 * with apt-get when missing, as root or through `sudo -n`; otherwise this says exactly what
 * to run. Returns whether Chromium is there.
 */
export function ensureChromium(path = chromePath) {
  if (existsSync(path)) return true;
  if (process.env.CHROME_PATH) {
    console.error(`[setup] CHROME_PATH=${path} does not exist.`);
    return false;
  }
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && works('sudo', ['-n', 'true']);
  const apt = works('apt-get', ['--version']);
  if (apt && (isRoot || sudo)) {
    console.log(`[setup] ${path} not found: installing Debian's chromium`);
    // `env` after sudo: sudo may drop DEBIAN_FRONTEND from the environment.
    const run = (...args) =>
      sh(sudo ? 'sudo' : 'env', [
        ...(sudo ? ['-n', 'env'] : []),
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        ...args,
      ]);
    if (run('update') && run('install', '-y', 'chromium') && existsSync(path)) return true;
  }
  console.error(
    [
      `[setup] The browser tests need Chromium at ${path}, and it could not be installed here.`,
      '[setup] Run, then `npm test` again:',
      '[setup]   sudo apt-get update && sudo apt-get install -y chromium',
      '[setup] or point CHROME_PATH at a Chromium or Chrome you have:',
      '[setup]   CHROME_PATH=/path/to/chrome npm test',
    ].join('\n'),
  );
  return false;
}

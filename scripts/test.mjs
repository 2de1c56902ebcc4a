#!/usr/bin/env node
// `npm test`: every check of the project, in order, with output streamed as it comes.
//
//   node scripts/test.mjs                   # all stages
//   node scripts/test.mjs browser node      # only these stages (names below)
//
// Stages: typecheck, lint, build, package (publint on the built package), size, browser
// (web-test-runner), node (node --test; test/node/consumers.test.ts installs the packed
// package into small projects and type-checks them strictly).
// First it installs what a fresh clone lacks (scripts/setup.mjs): the npm dependencies, and
// Debian's Chromium for the browser stages (as root or with `sudo -n`; otherwise it says
// exactly what to run).
// A failing stage does not stop the ones after it, so one run shows every failure. The last
// line is `N passed, N failed`: the tests of both runners, plus one failure for each other
// stage that failed (named just above). Exit code 1 when anything failed or no test ran.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureChromium, ensureDependencies} from './setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scratch = mkdtempSync(join(tmpdir(), 'upload-progress-test-'));

/** Runs a command with inherited stdio; resolves to its exit code (signals count as failure). */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: {...process.env, ...env},
    });
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Test files of the node runner: test/node/**\/*.test.ts (Node 20's --test takes no globs). */
function nodeTestFiles(dir = join(root, 'test', 'node')) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return nodeTestFiles(path);
      return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
    })
    .sort();
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `# pass N` / `# fail N` / `# cancelled N` / `# skipped N` from node's TAP reporter. */
function tapCounts(file) {
  if (!existsSync(file)) return undefined;
  const tap = readFileSync(file, 'utf8');
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? NaN);
  // A cancelled test (a timeout, a file that never finished) is a failed one here.
  const counts = {
    passed: count('pass'),
    failed: count('fail') + (count('cancelled') || 0),
    skipped: count('skipped') || 0,
  };
  return Number.isNaN(counts.passed) || Number.isNaN(counts.failed) ? undefined : counts;
}

/**
 * Each stage resolves to `{ok, note?, tests?: {passed, failed, skipped}}`. A stage with test
 * counts is judged by them; the others count as one failure when not ok.
 */
const stages = {
  // What `npm run typecheck` runs (tsconfig.json, then test/node/tsconfig.json where Node's
  // types live), but the second also runs when the first fails.
  typecheck: async () => {
    const browser = await run(bin('tsc'), ['--noEmit', '-p', '.']);
    const node = await run(bin('tsc'), ['--noEmit', '-p', 'test/node']);
    return {ok: browser === 0 && node === 0};
  },

  // What `npm run lint` runs, but Prettier also runs when ESLint fails, to show everything.
  lint: async () => {
    const eslint = await run(bin('eslint'), ['.']);
    const prettier = await run(bin('prettier'), ['--check', '.']);
    return {ok: eslint === 0 && prettier === 0};
  },

  build: async () => ({ok: (await run(npm, ['run', '--silent', 'build'])) === 0}),

  // The last step of `npm run lint`: publint checks what `npm pack` would ship (the exports
  // map, types, files), so it runs once dist/ is built.
  package: async (results) => {
    if (results.build && !results.build.ok) return {ok: true, skip: true, note: 'the build failed'};
    return {ok: (await run(bin('publint'), ['--strict'])) === 0};
  },

  size: async (results) => {
    if (results.build && !results.build.ok) return {ok: true, skip: true, note: 'the build failed'};
    return {ok: (await run(bin('size-limit'), [])) === 0};
  },

  browser: async () => {
    if (!chromium) return {ok: false, note: 'Chromium is missing: see [setup] above'};
    const resultsFile = join(scratch, 'wtr.json');
    const code = await run(bin('web-test-runner'), [], {WTR_RESULTS_FILE: resultsFile});
    const tests = readJson(resultsFile);
    if (!tests) return {ok: false, note: `web-test-runner reported no results (exit ${code})`};
    const total = tests.passed + tests.failed + tests.skipped;
    if (total === 0) return {ok: false, note: 'web-test-runner ran no test', tests};
    if (code !== 0 && tests.failed === 0) {
      return {ok: false, note: `web-test-runner exited ${code} with no failed test`, tests};
    }
    return {ok: code === 0, tests};
  },

  node: async () => {
    const files = nodeTestFiles();
    if (files.length === 0) return {ok: true, note: 'no test/node/**/*.test.ts files', skip: true};
    const tapFile = join(scratch, 'node.tap');
    const code = await run(process.execPath, [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ]);
    const tests = tapCounts(tapFile);
    if (!tests) return {ok: false, note: `node --test reported no counts (exit ${code})`};
    if (tests.passed + tests.failed === 0) {
      return {ok: false, note: 'node --test ran no test', tests};
    }
    if (code !== 0 && tests.failed === 0) {
      return {ok: false, note: `node --test exited ${code} with no failed test`, tests};
    }
    return {ok: code === 0, tests};
  },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in stages));
if (unknown.length > 0) {
  console.error(
    `unknown stage(s): ${unknown.join(', ')}; stages: ${Object.keys(stages).join(', ')}`,
  );
  process.exit(2);
}
const selected = requested.length > 0 ? requested : Object.keys(stages);

if (!ensureDependencies()) {
  console.error('could not install the npm dependencies (see above)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const chromium = selected.some((name) => name === 'browser' || name === 'node')
  ? ensureChromium()
  : true;

const results = {};
const started = Date.now();
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const stageStarted = Date.now();
  const result = await stages[name](results);
  result.seconds = (Date.now() - stageStarted) / 1000;
  results[name] = result;
  const verdict = result.skip ? 'skipped' : result.ok ? 'ok' : 'FAILED';
  const note = result.note ? ` (${result.note})` : '';
  console.log(`=== ${name}: ${verdict}${note} in ${result.seconds.toFixed(1)} s ===`);
}
rmSync(scratch, {recursive: true, force: true});

let passed = 0;
let failed = 0;
let skipped = 0;
let testsRun = 0;
const failures = [];
console.log(`\nSummary (${((Date.now() - started) / 1000).toFixed(1)} s):`);
for (const [name, result] of Object.entries(results)) {
  const {tests} = result;
  if (tests) {
    passed += tests.passed;
    failed += tests.failed;
    skipped += tests.skipped || 0;
    testsRun += tests.passed + tests.failed;
  }
  // A failed stage without failed tests to show for it counts as one failure.
  if (!result.ok && !(tests?.failed > 0)) failed += 1;
  if (!result.ok) failures.push(name);
  const counts = tests ? `: ${tests.passed} passed, ${tests.failed} failed` : '';
  const verdict = result.skip ? 'skipped' : result.ok ? 'ok' : 'FAILED';
  const note = result.note ? ` (${result.note})` : '';
  console.log(`  ${name.padEnd(10)} ${verdict}${counts}${note}, ${result.seconds.toFixed(1)} s`);
}
const testStageRan = selected.some((name) => name === 'browser' || name === 'node');
if (testStageRan && testsRun === 0) {
  failures.push('no test ran');
  failed += 1;
}
if (failures.length > 0) console.log(`Failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failures.length > 0 ? 1 : 0;

// Checks what `npm run build` promises about dist/ (run it first; `npm test` does).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {test} from 'node:test';
import vm from 'node:vm';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

function readBuilt(path: string): string {
  const file = new URL(path, root);
  assert.ok(existsSync(file), `${path} is missing: run \`npm run build\` first`);
  return readFileSync(file, 'utf8');
}

test('dist/upload-progress.min.js is one classic script with no imports', () => {
  const code = readBuilt('dist/upload-progress.min.js');
  // Compiling as a classic script throws a SyntaxError on any import or export statement.
  assert.doesNotThrow(() => new vm.Script(code, {filename: 'upload-progress.min.js'}));
  // One import(): the loader of the sibling files, with a URL made from the script's own.
  assert.equal(code.match(/\bimport\s*\(/g)?.length, 1, 'one dynamic import(), the loader');
});

test('every built script is ASCII: it reads the same when served without a charset', () => {
  const scripts = readdirSync(new URL('dist/', root)).filter((name) => name.endsWith('.min.js'));
  assert.ok(scripts.includes('upload-progress.min.js'), scripts.join(', '));
  for (const name of scripts) {
    const at = readBuilt(`dist/${name}`).search(/[\u0080-\uffff]/);
    assert.equal(at, -1, `${name} has a non-ASCII character at ${at}`);
  }
});

test('each sibling file is a module that imports nothing and hands its exports to the loader', async () => {
  // The siblings are the build's `lazy` modules; other files of dist/ (the core-only script)
  // are scripts of their own.
  const config = new URL('rollup.config.mjs', root).href;
  const {lazy} = (await import(config)) as {lazy: {name: string}[]};
  const names = lazy.map(({name}) => `upload-progress.${name}.min.js`);
  for (const sibling of ['uploading', 'multiplexed', 'server-message']) {
    assert.ok(names.includes(`upload-progress.${sibling}.min.js`), names.join(', '));
  }
  const built = readdirSync(new URL('dist/', root));
  for (const name of names) assert.ok(built.includes(name), `${name} is built`);
  for (const name of names) {
    const code = readBuilt(`dist/${name}`);
    assert.doesNotMatch(code, /^\s*import\b|[;}]import\s*[{*"']/m, `${name} imports nothing`);
    assert.match(code, /export const d\s*=\s*\[/, `${name} names the files it needs`);
    assert.match(code, /export default function/, `${name} hands its exports over`);
  }
});

test('licence texts sit in one file beside the script, linked by one comment', () => {
  const code = readBuilt('dist/upload-progress.min.js');
  assert.equal(code.match(/\/\*/g)?.length, 1, 'one comment left');
  assert.match(code, /^\/\*! Licences: upload-progress\.min\.js\.LICENSE\.txt \*\//);
  const licences = readBuilt('dist/upload-progress.min.js.LICENSE.txt');
  for (const pkg of ['lit-html@', 'eventsource-parser@']) {
    assert.ok(licences.includes(pkg), `${pkg} is named`);
  }
  assert.match(licences, /Copyright \d{4} Google LLC/);
});

test('the ESM entries import only declared dependencies and files that exist', () => {
  const allowed = Object.keys({...pkg.dependencies, ...pkg.peerDependencies});
  for (const entry of ['dist/index.js', 'dist/components/index.js']) {
    const code = readBuilt(entry);
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)]
      .concat([...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)])
      .map((match) => match[1] as string);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        assert.ok(existsSync(new URL(specifier, new URL(entry, root))), `${entry}: ${specifier}`);
      } else {
        const known = allowed.some((dep) => specifier === dep || specifier.startsWith(`${dep}/`));
        assert.ok(known, `${entry} imports ${specifier}, which is not a dependency`);
      }
    }
  }
});

test('npm test, on a machine without Chromium and no way to install it, says exactly what to run', () => {
  // No apt-get nor sudo on this PATH: only node itself.
  const setup = new URL('../../scripts/setup.mjs', import.meta.url).href;
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const {ensureChromium} = await import(${JSON.stringify(setup)}); process.exitCode = ensureChromium('/nonexistent/chromium') ? 0 : 3;`,
    ],
    {encoding: 'utf8', env: {PATH: dirname(process.execPath)}},
  );
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stderr, /Chromium at \/nonexistent\/chromium/);
  assert.match(result.stderr, /sudo apt-get update && sudo apt-get install -y chromium/);
  assert.match(result.stderr, /CHROME_PATH=\/path\/to\/chrome npm test/);
});

test('npm start and .ci/run need nothing installed first: they run the same set-up as npm test', () => {
  const scripts = (
    JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  assert.equal(scripts.start, 'node scripts/start.mjs');
  assert.match(readFileSync(new URL('scripts/start.mjs', root), 'utf8'), /ensureDependencies\(\)/);
  assert.match(readFileSync(new URL('scripts/test.mjs', root), 'utf8'), /ensureDependencies\(\)/);
  const ci = readFileSync(new URL('.ci/run', root), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#') && !line.startsWith('echo'));
  assert.ok(ci.includes('npm test </dev/null'), '.ci/run runs npm test');
  assert.ok(
    !ci.some((line) => /apt-get|npm (ci|install)/.test(line)),
    'and installs nothing itself',
  );
});

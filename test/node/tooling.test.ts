// Checks what `npm run build` promises about dist/ (run it first; `npm test` does).
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
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

test('each sibling file is a module that imports nothing and hands its exports to the loader', () => {
  const names = readdirSync(new URL('dist/', root)).filter((name) =>
    /^upload-progress\.(?!min\.js$).*\.min\.js$/.test(name),
  );
  assert.ok(names.includes('upload-progress.uploading.min.js'), names.join(', '));
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
  for (const pkg of [
    'lit-html@',
    'lit-element@',
    '@lit/reactive-element@',
    'eventsource-parser@',
  ]) {
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

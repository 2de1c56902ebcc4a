// The framework adapters as Node (and so a server-side renderer) loads them: through the
// package's own `exports` to dist/ (run `npm run build` first; `npm test` does).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, {optional?: boolean}>;
  exports: Record<string, {types: string; default: string}>;
};
const adapters = ['react', 'vue', 'angular'] as const;

test('upload-progress/react, /vue and /angular load in Node through the exports map, and React renders on the server', () => {
  // A plain `node`: tsx, which runs this file, would map the package's name to its sources.
  const output = execFileSync(
    process.execPath,
    [fileURLToPath(new URL('load-adapters.mjs', import.meta.url))],
    {
      encoding: 'utf8',
    },
  );
  const seen = JSON.parse(output) as {
    resolved: Record<string, string>;
    exports: Record<string, string[]>;
    html: string;
    requests: number;
  };
  for (const name of adapters) {
    assert.equal(seen.resolved[name], new URL(pkg.exports[`./${name}`]!.default, root).href);
    assert.ok(existsSync(new URL(pkg.exports[`./${name}`]!.types, root)), `${name}: types exist`);
  }
  assert.deepEqual(seen.exports, {
    react: ['UploadProgressModal', 'useMultiUploadProgress', 'useUploadProgress'],
    vue: ['useMultiUploadProgress', 'useUploadProgress'],
    angular: ['injectMultiUploadProgress', 'injectUploadProgress'],
  });
  // The hooks' empty state, the element as a tag, and no request while rendering.
  assert.match(seen.html, /<p>none 0<\/p><p>0 false<\/p>/);
  assert.match(seen.html, /<upload-progress-modal class="uploads"><\/upload-progress-modal>/);
  assert.equal(seen.requests, 0);
});

test('each framework is an optional peer dependency', () => {
  for (const name of ['react', 'vue', '@angular/core']) {
    assert.ok(pkg.peerDependencies[name], `${name} is a peer dependency`);
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is optional`);
    assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency`);
  }
});

test('the adapters share the core (dist/index.js) instead of carrying a copy, and stay thin', () => {
  const allowed = Object.keys({...pkg.dependencies, ...pkg.peerDependencies});
  const files = [
    ...adapters.map((name) => `dist/adapters/${name}/index.js`),
    'dist/adapters/react/upload-progress-modal.js',
  ];
  for (const file of files) {
    const code = readFileSync(new URL(file, root), 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?['"]([^'"]+)['"]/gm)].map(
      (match) => match[1]!,
    );
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        assert.ok(existsSync(new URL(specifier, new URL(file, root))), `${file}: ${specifier}`);
      } else {
        const declared = allowed.some(
          (dep) => specifier === dep || specifier.startsWith(`${dep}/`),
        );
        assert.ok(declared, `${file} imports ${specifier}, which is not a (peer) dependency`);
      }
    }
    assert.doesNotMatch(code, /class UploadProgress(Stream|Manager)\b/, `${file} has no core copy`);
    assert.doesNotMatch(
      code,
      /class UploadProgressModal\b.*(LitElement|BaseElement)/,
      `${file} has no element copy`,
    );
    assert.ok(code.length < 4000, `${file} is ${code.length} characters: adapters stay thin`);
  }
  const modal = readFileSync(new URL('dist/adapters/react/upload-progress-modal.js', root), 'utf8');
  assert.match(modal, /^import '\.\.\/\.\.\/components\/index\.js';$/m, 'it defines the elements');
  const hooks = readFileSync(new URL('dist/adapters/react/index.js', root), 'utf8');
  assert.match(hooks, /from '\.\.\/\.\.\/index\.js'/, 'the hooks import the core');
  assert.doesNotMatch(hooks, /components\/index\.js/, 'hooks alone do not pull in the elements');
});

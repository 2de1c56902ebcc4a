// The package as a user installs it: `npm pack` of the built package (run `npm run build`
// first; `npm test` does), installed with npm into a copy of test/consumers/app, then
// type-checked the strict way (`skipLibCheck: false`) under the three module resolutions
// users have (bundler, node16, node10), with React 19's and React 18's types, the Svelte
// recipe through svelte-check, and built with Vite. A package that ships a broken .d.ts,
// misses a file or a dependency, or whose `sideEffects` drops the elements fails here.
//
// Fast and offline where it can be: npm installs the tarball and its few dependencies
// (`--prefer-offline`: from npm's cache when it has them); the frameworks and the tools,
// heavy and already in the repository's node_modules, are linked, not installed.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(root, 'test', 'consumers', 'app');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scratch = mkdtempSync(join(tmpdir(), 'upload-progress-consumer-'));
const app = join(scratch, 'app');

/** Runs a command; resolves with its output, rejects with the output in the message. */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const {stdout, stderr} = await promisify(execFile)(command, args, {
      cwd,
      maxBuffer: 32 * 1024 * 1024,
      env: {...process.env, NODE_ENV: 'production'},
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const {stdout = '', stderr = ''} = error as {stdout?: string; stderr?: string};
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`);
  }
}

/** `node_modules/<name>` of `project` → the repository's copy (`from`, default the same name). */
function link(project: string, name: string, from = name): void {
  const target = join(root, 'node_modules', from);
  assert.ok(existsSync(target), `node_modules/${from} is missing: run npm install`);
  const path = join(project, 'node_modules', name);
  mkdirSync(dirname(path), {recursive: true});
  symlinkSync(target, path, 'dir');
}

before(async () => {
  assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is missing: run npm run build');
  const packed = JSON.parse(
    await run(npm, ['pack', '--json', '--pack-destination', scratch], root),
  ) as {filename: string}[];
  const tarball = join(scratch, packed[0]!.filename);
  cpSync(fixture, app, {recursive: true});
  await run(
    npm,
    [
      'install',
      tarball,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      '--loglevel=error',
    ],
    app,
  );
  // The frameworks, as the app's own dependencies (peers of the package, all optional).
  for (const name of ['react', 'react-dom', '@types/react', '@types/react-dom', 'vue']) {
    link(app, name);
  }
  for (const name of ['@angular/core', '@angular/common', 'rxjs', 'svelte', 'tus-js-client']) {
    link(app, name);
  }
  // React 18's types beside the package: the package's own imports of 'react' must see them.
  const react18 = join(app, 'react18');
  cpSync(
    join(app, 'node_modules', 'upload-progress'),
    join(react18, 'node_modules', 'upload-progress'),
    {
      recursive: true,
    },
  );
  link(react18, '@types/react', '@types/react18');
});

after(() => rmSync(scratch, {recursive: true, force: true}));

test('the package ships the docs its README links to, and nothing of the repository besides', () => {
  const installed = join(app, 'node_modules', 'upload-progress');
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!);
  const relative = links.filter((href) => !/^[a-z]+:/i.test(href));
  assert.ok(relative.length >= 4, `the README links its docs (${relative.join(', ')})`);
  for (const href of relative) {
    assert.ok(existsSync(join(installed, href)), `README links ${href}, which the package lacks`);
  }
  for (const doc of readdirSync(join(installed, 'docs'))) {
    const text = readFileSync(join(installed, 'docs', doc), 'utf8');
    for (const [, href] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(href!)) continue;
      assert.ok(existsSync(join(installed, 'docs', href!)), `docs/${doc} links ${href}: missing`);
    }
  }
  assert.ok(existsSync(join(installed, 'docs', 'protocol.md')), 'the server protocol');
  assert.ok(existsSync(join(installed, 'CHANGELOG.md')));
  for (const name of ['src', 'test', 'components', 'adapters', 'demo', 'scripts']) {
    assert.ok(!existsSync(join(installed, name)), `${name}/ is not shipped`);
  }
});

// Independent checks, two at a time: each is a tsc or svelte-check run of several seconds.
describe('type checks', {concurrency: 2}, () => {
  for (const resolution of ['bundler', 'node16', 'node10']) {
    test(`every entry point type-checks in a strict project (skipLibCheck: false, moduleResolution ${resolution})`, async () => {
      await run(bin('tsc'), ['-p', `tsconfig.${resolution}.json`], app);
    });
  }

  test('every TypeScript example of the README and docs type-checks under strict', async () => {
    // Each ```ts/```tsx block of the installed README and docs/, as its own module, beside
    // the declarations of what the examples leave to the reader (docs/yours.d.ts).
    const installed = join(app, 'node_modules', 'upload-progress');
    const docs = join(app, 'docs');
    let count = 0;
    for (const doc of [
      'README.md',
      ...readdirSync(join(installed, 'docs')).map((d) => `docs/${d}`),
    ]) {
      const text = readFileSync(join(installed, doc), 'utf8');
      for (const match of text.matchAll(/^```(tsx?)\n([\s\S]*?)^```/gm)) {
        const line = text.slice(0, match.index).split('\n').length + 1;
        const name = `${doc.replace(/\W/g, '_')}_L${line}.${match[1]}`;
        writeFileSync(join(docs, name), `${match[2]}export {};\n`);
        count++;
      }
    }
    assert.ok(count >= 15, `the docs' TypeScript examples (${count})`);
    await run(bin('tsc'), ['-p', 'tsconfig.docs.json'], app);
  });

  test("with React 18's types, the elements take only what React 18 passes through (attributes)", async () => {
    // The fixture's @ts-expect-error lines fail the check if the types accept objects; the
    // same props pass with React 19's types (src/react.tsx, checked above).
    await run(bin('tsc'), ['-p', 'tsconfig.json'], join(app, 'react18'));
  });

  test('the Svelte 5 recipe (runes) passes svelte-check, as docs/frameworks.md shows it', async () => {
    const docs = readFileSync(join(root, 'docs', 'frameworks.md'), 'utf8');
    const blocks = [...docs.matchAll(/```svelte\n([\s\S]*?)```/g)].map((match) => match[1]);
    for (const file of ['Uploads.svelte', 'App.svelte']) {
      const source = readFileSync(join(fixture, 'svelte', file), 'utf8');
      assert.ok(blocks.includes(source), `docs/frameworks.md shows ${file} as it is checked here`);
    }
    const output = await run(
      bin('svelte-check'),
      ['--workspace', join(app, 'svelte'), '--tsconfig', './tsconfig.json', '--fail-on-warnings'],
      join(app, 'svelte'),
    );
    assert.match(output, /0 errors and 0 warnings/);
  });
});

/** `vite build` of one of the fixture's apps; the code of every chunk it wrote. */
async function viteBuild(name: string): Promise<string> {
  const dir = join(app, name);
  await run(bin('vite'), ['build', '--logLevel', 'error', '--outDir', 'out', '--emptyOutDir'], dir);
  const assets = join(dir, 'out', 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n');
}

test('a Vite app builds with it: one copy of the core, the elements defined', async () => {
  const code = await viteBuild('vite');
  assert.match(code, /customElements\.define/, 'the React wrapper brings the elements');
  assert.match(code, /upload-progress-modal/);
  // A message of the core's that minification keeps: found once, so the core is there once.
  assert.equal(code.split('uploadFiles() takes files').length - 1, 1, 'one copy of the core');
});

test('a Vite app that imports only the hooks bundles no element (sideEffects)', async () => {
  const code = await viteBuild('vite-hooks');
  assert.match(code, /useSyncExternalStore/, 'the hooks are there');
  assert.doesNotMatch(code, /customElements\.define|upload-progress-modal/, 'no element');
});

// Two builds from one config:
// (a) the npm package: ESM, dependencies left as imports. Every module of the core (src/)
//     goes into dist/index.js, so dist/components/index.js and the framework adapters
//     (dist/adapters/*/) import the core from the package's own dist/index.js: the package
//     has one copy of it (one connection budget, one shared manager), whichever entry a user
//     loads first. Frameworks are peer dependencies, so they stay imports too.
// (b) the script-tag build: one classic script, everything bundled and minified, except code a
//     page rarely needs (`lazy` below), which goes into sibling files the script loads on
//     first use (scripts/build/lazy-siblings.mjs). Lit's templates are minified at build time
//     (scripts/build/minify-templates.mjs), licence texts go to a .LICENSE.txt beside each file
//     (scripts/build/minify-chunk.mjs).
// esbuild transpiles TypeScript and reads tsconfig.json (legacy decorators,
// useDefineForClassFields: false); tsc only type-checks and writes .d.ts (scripts/build.mjs).
import {readFileSync} from 'node:fs';
import {resolve, sep} from 'node:path';
import {nodeResolve} from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import {lazySiblings} from './scripts/build/lazy-siblings.mjs';
import {minifyChunk} from './scripts/build/minify-chunk.mjs';
import {minifyTemplates} from './scripts/build/minify-templates.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = Object.keys({...pkg.dependencies, ...pkg.peerDependencies});
/** A dependency or peer dependency, or a subpath of one (`lit-html/directives/repeat.js`). */
const isDependency = (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));
const coreDir = resolve('src') + sep;
const componentsDir = resolve('components') + sep;

const target = 'es2022';

/**
 * Properties the script-tag builds shorten (scripts/build/minify-chunk.mjs): long names of
 * objects only the core's own modules see (an upload's record in flight, a snapshot's frame,
 * a waiter of the connection budget, a follow of the queue), each used by one file of the
 * build. Never a name of the public API, of an option, or of anything a sibling file reads.
 */
const internal = [
  'sizeKnown',
  'following',
  'settledIndex',
  'settledCount',
  'inFlight',
  'counted',
  'onGrant',
  'aliases',
  'backlog',
  'entryOf',
  'pool',
  'free',
  'sums',
  'sent',
  'saved',
  'urlFor',
  'pump',
  'live',
];

/**
 * Modules the script tag loads late: each gets a sibling file `upload-progress.<name>.min.js`,
 * and `stub` (same exports) stands in for it until then. With `via`, the stub loads that
 * module instead, which brings the lazy one and the modules of `with`; everywhere else each
 * of those gets its own stub. Used by scripts/size.mjs too.
 */
export const lazy = [
  {
    module: 'src/uploading/upload-files.ts',
    stub: 'components/script-tag/upload-files-stub.ts',
    name: 'uploading',
    via: 'components/script-tag/uploading.ts',
    with: [
      {
        module: 'components/upload-progress-list/row-action.ts',
        stub: 'components/script-tag/row-action-stub.ts',
      },
      {
        module: 'src/uploading/transfer-controls.ts',
        stub: 'components/script-tag/transfer-controls-stub.ts',
        from: ['src/uploading/upload-files.ts'],
      },
    ],
  },
  {
    module: 'src/manager/multiplexed-batch.ts',
    stub: 'components/script-tag/multiplexed-batch-stub.ts',
    name: 'multiplexed',
  },
  {
    module: 'src/transport/server-message.ts',
    stub: 'components/script-tag/server-message-stub.ts',
    name: 'server-message',
  },
];

/** The script-tag build's plugins up to the bundle (scripts/size.mjs builds with them too). */
export const scriptTagPlugins = () => [
  nodeResolve({browser: true, extensions}),
  esbuild({target, tsconfig: 'tsconfig.json'}),
  minifyTemplates(),
];

/** An import nothing resolves would become a global lookup in the IIFE: fail the build instead. */
function onwarn(warning, warn) {
  if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
  warn(warning);
}
const extensions = ['.ts', '.mjs', '.js'];

/**
 * The elements' modules define their tags when imported. node-resolve reads package.json's
 * `sideEffects`, which names only the built files, and would drop a bare
 * `import '../../components/index.js'` (the React modal's): say it of the sources too.
 */
const elementsDefineTags = {
  name: 'elements-define-tags',
  async resolveId(source, importer, options) {
    if (importer && !source.startsWith('.')) return null;
    const resolved = await this.resolve(source, importer, {...options, skipSelf: true});
    if (!resolved?.id.startsWith(componentsDir)) return resolved;
    return {...resolved, moduleSideEffects: true};
  },
};

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: {
      index: 'src/index.ts',
      // Resumable uploads: their own entry, so the core's users never download them.
      tus: 'src/tus.ts',
      'components/index': 'components/index.ts',
      'adapters/react/index': 'adapters/react/index.ts',
      // Its own module, so a bundler drops it, and the elements it defines, for hooks-only users.
      'adapters/react/upload-progress-modal': 'adapters/react/upload-progress-modal.ts',
      'adapters/vue/index': 'adapters/vue/index.ts',
      'adapters/angular/index': 'adapters/angular/index.ts',
    },
    external: isDependency,
    onwarn,
    // dist/tus.js imports the retry policy from the core: as extra exports of dist/index.js,
    // not through a facade over a chunk.
    preserveEntrySignatures: 'allow-extension',
    // Dependencies have no import-time side effects worth keeping an import for.
    treeshake: {moduleSideEffects: (_id, external) => !external},
    plugins: [
      elementsDefineTags,
      nodeResolve({extensions}),
      esbuild({target, tsconfig: 'tsconfig.json'}),
      minifyTemplates(),
    ],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      manualChunks: (id) =>
        id.startsWith(coreDir) && !/[\\/]tus[-.]/.test(id) ? 'index' : undefined,
      hoistTransitiveImports: false,
      sourcemap: true,
    },
  },
  {
    input: 'components/bundle.ts',
    onwarn,
    plugins: [
      // First: it resolves imports of the lazy modules before node-resolve does.
      lazySiblings({lazy, prefix: 'upload-progress'}),
      ...scriptTagPlugins(),
      minifyChunk({target, internal}),
    ],
    output: {
      dir: 'dist',
      sourcemap: true,
      // The namespace objects (`import * as core`) are only spread into window.UploadProgress:
      // no need to freeze them.
      freeze: false,
    },
  },
  // The core alone, for pages whose CSP requires Trusted Types without Lit's `lit-html` policy.
  {
    input: 'components/bundle-core.ts',
    onwarn,
    plugins: [
      nodeResolve({browser: true, extensions}),
      esbuild({target, tsconfig: 'tsconfig.json'}),
      minifyChunk({target, internal}),
    ],
    output: {
      file: 'dist/upload-progress.core.min.js',
      format: 'iife',
      sourcemap: true,
      freeze: false,
    },
  },
];

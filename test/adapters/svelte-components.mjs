// A web-test-runner plugin that serves `.svelte` files compiled by Svelte 5 for the client,
// as a bundler's Svelte plugin would (TypeScript in `<script lang="ts">` included). The
// consumer fixture's components (test/consumers/app/) sit in a project of their own, whose
// `upload-progress` imports it maps to the package's exports here.
import {readFileSync} from 'node:fs';
import {compile} from 'svelte/compiler';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** @type {import('@web/dev-server-core').Plugin} */
export const svelteComponents = {
  name: 'svelte-components',
  resolveMimeType(context) {
    return context.path.endsWith('.svelte') ? 'js' : undefined;
  },
  resolveImport({source, context}) {
    if (!context.path.startsWith('/test/consumers/')) return undefined;
    const entry = pkg.exports[source === pkg.name ? '.' : source.replace(pkg.name, '.')];
    return entry ? `/${entry.default.replace(/^\.\//, '')}` : undefined;
  },
  transform(context) {
    if (!context.path.endsWith('.svelte')) return undefined;
    const {js} = compile(String(context.body), {
      filename: context.path,
      generate: 'client',
      dev: true,
    });
    return {body: js.code};
  },
};

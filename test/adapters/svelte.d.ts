// `.svelte` imports in browser tests (compiled by test/adapters/svelte-components.mjs).
declare module '*.svelte' {
  import type {Component} from 'svelte';
  const component: Component<Record<string, unknown>, Record<string, unknown>>;
  export default component;
}

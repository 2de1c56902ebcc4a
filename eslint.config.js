// ESLint flat config: JS recommended + typescript-eslint recommended (no type-aware rules,
// so it stays fast). Formatting is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js';
import {defineConfig, globalIgnores} from 'eslint/config';
import tseslint from 'typescript-eslint';

// Globals for plain JS files (scripts, configs, the demo, the mock server), listed by hand
// rather than through the `globals` package, which is not a dependency.
const runtimeGlobals = Object.fromEntries(
  [
    // Node
    'process',
    'Buffer',
    'setImmediate',
    'clearImmediate',
    // both
    'console',
    'globalThis',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'queueMicrotask',
    'structuredClone',
    'performance',
    'fetch',
    'Request',
    'Response',
    'Headers',
    'FormData',
    'File',
    'Blob',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'ReadableStream',
    'WritableStream',
    'TransformStream',
    'Event',
    'EventTarget',
    'CustomEvent',
    'crypto',
    // browser
    'window',
    'document',
    'navigator',
    'location',
    'customElements',
    'HTMLElement',
    'EventSource',
    'XMLHttpRequest',
    'requestAnimationFrame',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', '.tmp/', 'custom-elements.json']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {globals: runtimeGlobals},
  },
  {
    // Chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    files: ['test/**/*.{ts,tsx}', '**/*.test.{ts,tsx}'],
    rules: {'@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
    },
  },
);

// A rollup plugin for the script-tag build: code a page rarely needs goes into sibling files
// that the classic script loads on first use, from beside its own URL, while the user still
// writes one <script> line.
//
// How: each lazy module (say src/uploading/upload-files.ts) has a stub, a module of the same
// exports that loads the real one with a dynamic `import()` on first call. Everything that
// imports the lazy module outside its own folder gets the stub instead, so rollup splits the
// real module, and whatever only it needs, into its own chunk. Rollup writes ES chunks; this
// plugin then turns them into what a plain page can load:
// - the entry chunk becomes one classic script (an IIFE, no import or export statement)
//   holding a small loader, and hands the bindings the siblings need to that loader;
// - every other chunk becomes an ES module `export default (load, ...deps) => exports`, with
//   `export const d = [...]` naming the chunks it needs ("" for the classic script), which
//   the loader fetches with `import()` (so a CSP nonce carries over and no Trusted Types sink
//   is touched), resolved against `document.currentScript.src`.
// Siblings share the script's modules, never copy them: one shared manager, one
// UploadProgressError class, whichever file a piece of code came from.
import {resolve} from 'node:path';
import MagicString from 'magic-string';

const LOAD = '__upload_progress_load__';

/**
 * The loader, in the classic script: `load(path)` resolves to a sibling's exports, after the
 * siblings it needs ("" is the script itself); a failed fetch is tried again on the next call.
 * Siblings are looked for beside the script, or beside the page when the script has no URL
 * (its code injected inline). It never throws: every failure is a rejected promise.
 */
const loader = `const ${LOAD}_base = globalThis.document?.currentScript?.src;
const ${LOAD}_cache = new Map();
function ${LOAD}(path) {
  let loading = ${LOAD}_cache.get(path);
  if (!loading) {
    loading = (async () => {
      const m = await import(new URL(path, ${LOAD}_base || globalThis.document?.baseURI || location.href).href);
      return m.default(${LOAD}, ...(await Promise.all(m.d.map(${LOAD}))));
    })();
    loading.catch(() => ${LOAD}_cache.delete(path));
    ${LOAD}_cache.set(path, loading);
  }
  return loading;
}
`;

/**
 * @param {{lazy: {module: string, stub: string, name: string, via?: string, with?: {module: string, stub: string, from?: string[]}[]}[], prefix: string}} options
 *   `lazy`: each module loaded late (`module`), the stub that stands in for it, and the
 *   sibling's name (its file: `${prefix}.${name}.min.js`); `via`, the module the stub loads
 *   instead when the sibling holds more (it alone gets the real `module` and the real
 *   modules of `with`, whose stubs everything else gets; a `with` module's `from` names other
 *   modules of the sibling that import it and get the real one too)
 * @returns {import('rollup').Plugin}
 */
export function lazySiblings({lazy, prefix}) {
  const entries = lazy.map((entry) => ({
    ...entry,
    module: resolve(entry.module),
    stub: resolve(entry.stub),
    via: entry.via && resolve(entry.via),
  }));
  /** Every redirected module: its stub, and the importers that get the real thing. */
  const redirects = entries.flatMap((e) => [
    {module: e.module, stub: e.stub, from: [e.via ?? e.stub]},
    ...(e.with ?? []).map((w) => ({
      module: resolve(w.module),
      stub: resolve(w.stub),
      from: [e.via, ...(w.from ?? []).map((f) => resolve(f))],
    })),
  ]);
  return {
    name: 'lazy-siblings',

    async resolveId(source, importer, options) {
      if (!importer) return null;
      const resolved = await this.resolve(source, importer, {...options, skipSelf: true});
      const redirect = redirects.find((r) => r.module === resolved?.id);
      if (!redirect) return resolved;
      // The stub (or the sibling's `via` module) gets the real thing, every other importer
      // the stub (its neighbours in the same folder too: the follow queue imports the
      // multiplexed batch).
      if (redirect.from.includes(importer)) return resolved;
      return redirect.stub;
    },

    outputOptions(output) {
      return {
        ...output,
        format: 'es',
        entryFileNames: `${prefix}.min.js`,
        chunkFileNames: (chunk) => {
          const entry = entries.find((e) => (e.via ?? e.module) === chunk.facadeModuleId);
          return entry ? `${prefix}.${entry.name}.min.js` : `${prefix}.shared-[hash].min.js`;
        },
      };
    },

    renderDynamicImport() {
      return {left: `${LOAD}(`, right: ')'};
    },

    renderChunk(code, chunk) {
      const ast = this.parse(code);
      const out = new MagicString(code);
      const imports = [];
      const exports = [];
      const mutable = new Set();
      for (const node of ast.body) {
        if (node.type === 'ImportDeclaration') {
          imports.push(node);
          out.remove(node.start, node.end);
        } else if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source) {
          exports.push(...node.specifiers);
          out.remove(node.start, node.end);
        } else if (/^Export/.test(node.type)) {
          this.error(`lazy-siblings: unexpected ${node.type} in ${chunk.fileName}`);
        } else if (node.type === 'VariableDeclaration' && node.kind !== 'const') {
          for (const d of node.declarations) if (d.id.type === 'Identifier') mutable.add(d.id.name);
        }
      }
      // The loader hands over values, not live bindings: a `let` a sibling reads would go stale.
      for (const spec of exports) {
        if (mutable.has(spec.local.name)) {
          this.error(`lazy-siblings: ${chunk.fileName} exports the mutable ${spec.local.name}`);
        }
      }
      const exported = `{${exports.map((s) => `${JSON.stringify(s.exported.name)}: ${s.local.name}`).join(', ')}}`;
      if (chunk.isEntry) {
        if (imports.length > 0)
          this.error(`lazy-siblings: the entry chunk imports ${imports[0].source.value}`);
        out.prepend(`(function () {\n"use strict";\n${loader}`);
        out.append(`\n${LOAD}_cache.set("", Promise.resolve(${exported}));\n})();\n`);
      } else {
        const deps = imports.map((node) => {
          const file = node.source.value.replace(/^\.\//, '');
          return file === `${prefix}.min.js` ? '' : `./${file}`;
        });
        const bindings = imports.map((node, i) => {
          const names = node.specifiers.map((s) => {
            if (s.type !== 'ImportSpecifier')
              this.error(`lazy-siblings: ${s.type} in ${chunk.fileName}`);
            return `${JSON.stringify(s.imported.name)}: ${s.local.name}`;
          });
          return `const {${names.join(', ')}} = deps[${i}];\n`;
        });
        out.prepend(
          `export const d = ${JSON.stringify(deps)};\nexport default function (${LOAD}, ...deps) {\n${bindings.join('')}`,
        );
        out.append(`\nreturn ${exported};\n}\n`);
      }
      return {code: out.toString(), map: out.generateMap({hires: 'boundary'})};
    },
  };
}

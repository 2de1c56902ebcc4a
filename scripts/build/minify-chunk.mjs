// A rollup plugin: minifies each chunk, esbuild first and terser after it, and moves licence
// comments out of the script into one `<file>.LICENSE.txt` beside it (with the licence texts
// of the bundled packages), linked by a single comment: the bytes every page downloads carry
// no licence prose, and every notice is still shipped.
//
// Why both minifiers (measured on the script tag, gzip -9): esbuild alone 21,972 B, terser
// alone (3 passes) 21,644 B, esbuild then terser 21,487 B; terser's extra passes find what
// esbuild's one pass leaves. Only terser's safe options: no `unsafe*`, no `pure_getters`.
// Property names are kept, except the few `internal` ones named by the build (properties of
// objects no user and no other file ever sees); a chunk with a string that is one of them, or two
// chunks that both use one (each is minified alone, so they could disagree), fail the build.
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {dirname, join, sep} from 'node:path';
import {transform} from 'esbuild';
import {minify} from 'terser';

/** The package folder (name, version, licence file) a bundled module belongs to. */
function packageOf(id) {
  const at = id.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) return undefined;
  let dir = dirname(id);
  while (dir.length > at && !existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licence = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return {
    key: `${pkg.name}@${pkg.version}`,
    text: licence ? readFileSync(join(dir, licence), 'utf8').trim() : `License: ${pkg.license}`,
  };
}

/**
 * The texts of a program's strings and templates (a name read as `x[name]` or `name in x` is one),
 * and every identifier and property name in it.
 */
function namesIn(ast) {
  const strings = new Set();
  const names = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Literal' && typeof node.value === 'string') strings.add(node.value);
    else if (node.type === 'TemplateElement') strings.add(node.value.cooked ?? node.value.raw);
    else if (node.type === 'Identifier' || node.type === 'PrivateIdentifier') names.add(node.name);
    for (const key in node) if (key !== 'type') visit(node[key]);
  };
  visit(ast);
  return {strings, names};
}

/**
 * @param {{target: string, internal?: string[]}} options `internal`: property names terser may
 *   shorten (see above)
 * @returns {import('rollup').Plugin}
 */
export function minifyChunk({target, internal = []}) {
  /** Per internal name, the chunk that uses it (one build at a time: reset per output). */
  let users = new Map();
  return {
    name: 'minify-chunk',
    renderStart() {
      users = new Map();
    },
    async renderChunk(code, chunk) {
      /** The internal names this chunk uses: only those are mangled (other chunks as before). */
      const used = [];
      if (internal.length > 0) {
        const {strings, names} = namesIn(this.parse(code));
        for (const name of internal) {
          if (strings.has(name)) {
            this.error(
              `minify-chunk: ${chunk.fileName} names the internal property ${name} in a string`,
            );
          }
          if (!names.has(name)) continue;
          const other = users.get(name);
          if (other && other !== chunk.fileName) {
            this.error(
              `minify-chunk: ${other} and ${chunk.fileName} both use the internal property ${name}`,
            );
          }
          users.set(name, chunk.fileName);
          used.push(name);
        }
      }
      const result = await transform(code, {
        minify: true,
        target,
        legalComments: 'external',
        sourcemap: 'external',
        sourcefile: chunk.fileName,
        // ASCII only (`\u2026` for `…`): a page or server that serves the file without a
        // charset would otherwise show the rows' `…` and `·` garbled.
        charset: 'ascii',
      });
      const packages = new Map();
      for (const id of Object.keys(chunk.modules)) {
        const pkg = packageOf(id);
        if (pkg) packages.set(pkg.key, pkg.text);
      }
      const tersed = await minify(result.code, {
        ecma: 2022,
        compress: {passes: 3},
        mangle: used.length > 0 ? {properties: {regex: new RegExp(`^(${used.join('|')})$`)}} : true,
        format: {comments: false, ascii_only: true},
        sourceMap: {content: result.map, asObject: true},
      });
      let output = tersed.code;
      // terser keeps the names it knows from the DOM (`take`, say) whatever the pattern: an
      // internal name still there saves nothing, and the list would claim bytes it does not save.
      if (used.length > 0) {
        const {names} = namesIn(this.parse(output));
        const kept = used.filter((name) => names.has(name));
        if (kept.length > 0) {
          this.error(
            `minify-chunk: ${chunk.fileName} keeps the internal properties ${kept.join(', ')} (terser reserves them): take them off the list`,
          );
        }
      }
      const map = tersed.map;
      if (packages.size > 0 || result.legalComments) {
        const file = `${chunk.fileName}.LICENSE.txt`;
        const sections = [...packages].map(([key, text]) => `${key}\n\n${text}`);
        if (result.legalComments)
          sections.push(`Notices in the source:\n\n${result.legalComments.trim()}`);
        this.emitFile({
          type: 'asset',
          fileName: file,
          source: `Third-party code in ${chunk.fileName}:\n\n${sections.join('\n\n---\n\n')}\n`,
        });
        output = `/*! Licences: ${file} */\n${output}`;
        map.mappings = `;${map.mappings}`; // the comment's line maps to nothing
      }
      return {code: output, map};
    },
  };
}

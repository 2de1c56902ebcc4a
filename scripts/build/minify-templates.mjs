// A rollup plugin: shrinks the text inside Lit's `css` and `html` tagged templates (and the
// `css` of components/shared/base-element.ts) of our own modules at build time, which no JavaScript minifier touches (to it they are strings).
// - css`…` without `${}` holes: minified by esbuild's CSS minifier (the same rules a
//   stylesheet gets; fallback declarations such as `100vh` before `100dvh` are kept).
// - html`…`: every run of whitespace that holds a line break becomes one space. HTML renders
//   any run of whitespace as one space, so nothing a user sees changes; a template with
//   `<pre`, `<textarea` or a quoted attribute value across lines is left as written.
// Runs after rollup-plugin-esbuild (it reads JavaScript, not TypeScript).
import {transform} from 'esbuild';
import MagicString from 'magic-string';

/** Modules Lit's tags come from. */
const LIT_MODULES = new Set(['lit', 'lit-element', 'lit-html', '@lit/reactive-element']);
/** The elements' own base class, whose `css` tag returns the text as written. */
const OWN_CSS = /(^|\/)base-element\.js$/;

/** Escapes cooked text for a template literal's raw source. */
const toRaw = (text) => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

/** Local names bound to Lit's `css` and `html` (or the base class's `css`) by the module's imports. */
function litTags(ast) {
  const tags = new Map();
  for (const node of ast.body) {
    if (node.type !== 'ImportDeclaration') continue;
    const lit = LIT_MODULES.has(node.source.value);
    if (!lit && !OWN_CSS.test(node.source.value)) continue;
    for (const spec of node.specifiers) {
      const imported = spec.imported?.name;
      if (imported === 'css' || (lit && imported === 'html')) tags.set(spec.local.name, imported);
    }
  }
  return tags;
}

/** Every node under `node` (depth first). */
function* walk(node) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) yield* walk(child);
    else if (value && typeof value.type === 'string') yield* walk(value);
  }
}

/** The minified CSS of a template without holes, or undefined to leave it. */
async function minifyCss(cooked) {
  const {code} = await transform(cooked, {loader: 'css', minify: true});
  // esbuild keeps the spaces inside custom property values and `var()` fallbacks as written
  // (`--a: var( --b, #fff )`); none of them matters there: leading and trailing whitespace
  // of a value is dropped, and so is whitespace after `(` or `,`, before `)` and around `/`
  // (`1 / -1`, `rgb(0 0 0 / .5)`; only `+` and `-` need spaces, in `calc()`). Quoted
  // strings are left alone. (Not before `(`: `and (` in a media query must keep it.)
  return code
    .trim()
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((part, i) => (i % 2 ? part : part.replace(/([(,:/])\s+|\s+(?=[),;}/])/g, '$1')))
    .join('');
}

/** html`…` quasis with whitespace runs that hold a line break collapsed, or undefined. */
function collapseHtml(quasis) {
  const whole = quasis.map((q) => q.value.raw).join('${}');
  if (/<(pre|textarea)\b/i.test(whole) || /=\s*("[^"]*\n|'[^']*\n)/.test(whole)) return undefined;
  return quasis.map((q) => q.value.raw.replace(/\s*\n\s*/g, ' '));
}

/**
 * @param {{include?: (id: string) => boolean}} [options] which modules to rewrite (default:
 *   all outside node_modules)
 * @returns {import('rollup').Plugin}
 */
export function minifyTemplates({include = (id) => !id.includes('/node_modules/')} = {}) {
  return {
    name: 'minify-lit-templates',
    async transform(code, id) {
      if (!include(id) || !/\b(css|html)\s*`/.test(code)) return null;
      const ast = this.parse(code);
      const tags = litTags(ast);
      if (tags.size === 0) return null;
      const edits = [];
      for (const node of walk(ast)) {
        if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') continue;
        const kind = tags.get(node.tag.name);
        const {quasis} = node.quasi;
        for (const q of quasis) {
          if (code.slice(q.start, q.end) !== q.value.raw) {
            this.error(`minify-lit-templates: unexpected template positions in ${id}`);
          }
        }
        let replaced;
        if (kind === 'css') {
          if (quasis.length !== 1 || quasis[0].value.cooked == null) continue;
          replaced = [toRaw(await minifyCss(quasis[0].value.cooked))];
        } else if (kind === 'html') {
          replaced = collapseHtml(quasis);
        }
        if (!replaced) continue;
        quasis.forEach((q, i) => edits.push({start: q.start, end: q.end, text: replaced[i]}));
      }
      if (edits.length === 0) return null;
      const out = new MagicString(code);
      for (const {start, end, text} of edits) {
        if (start !== end) out.overwrite(start, end, text);
      }
      return {code: out.toString(), map: out.generateMap({hires: 'boundary'})};
    },
  };
}

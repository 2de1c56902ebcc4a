// The build's own rollup plugins (scripts/build/), on small modules made here: what they
// rewrite and, as much, what they must leave alone.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {rollup, type Plugin} from 'rollup';
import {minifyChunk} from '../../scripts/build/minify-chunk.mjs';
import {minifyTemplates} from '../../scripts/build/minify-templates.mjs';

/** Bundles one in-memory module (importing 'lit' or the base class, left external) through minifyTemplates. */
async function build(source: string): Promise<string> {
  const entry: Plugin = {
    name: 'entry',
    resolveId: (id) => (id === 'entry.js' ? id : null),
    load: (id) => (id === 'entry.js' ? source : null),
  };
  const bundle = await rollup({
    input: 'entry.js',
    external: (id) => id === 'lit' || id.endsWith('base-element.js'),
    plugins: [entry, minifyTemplates({include: () => true})],
  });
  const {output} = await bundle.generate({format: 'es'});
  await bundle.close();
  return output[0].code;
}

describe('minifyTemplates', () => {
  it("minifies Lit's css`` and keeps fallback declarations", async () => {
    const code = await build(`import {css} from 'lit';
export default css\`
  dialog {
    max-block-size: calc(100vh - 2rem);
    max-block-size: calc(100dvh - 2rem);
    color: rgb(0 0 0 / 0.5);
  }
\`;`);
    assert.match(
      code,
      /css`dialog\{max-block-size:calc\(100vh - 2rem\);max-block-size:calc\(100dvh - 2rem\);/,
    );
    assert.doesNotMatch(code, /\n\s+max-block-size/);
  });

  it("minifies the base class's own css``, and not an html of the same module", async () => {
    const code = await build(`import {css, html} from '../shared/base-element.js';
export const styles = css\`
  :host {
    display: block;
  }
\`;
export const t = html\`<p>
  kept
</p>\`;`);
    assert.match(code, /css`:host\{display:block\}`/);
    assert.ok(code.includes('<p>\n  kept\n</p>'));
  });

  it('drops the spaces esbuild keeps in custom properties and var() fallbacks, not in strings or media queries', async () => {
    const code = await build(`import {css} from 'lit';
export default css\`
  :host {
    --_line: var(
      --x-border,
      color-mix(in srgb, currentColor 15%, transparent)
    );
  }
  @media (min-width: 1px) and (max-width: 2px) {
    a::before { content: 'a, b ( c ) / d'; inline-size: calc(100% - 2rem); grid-column: 1 / -1; }
  }
\`;`);
    assert.match(
      code,
      /:host\{--_line:var\(--x-border,color-mix\(in srgb,currentColor 15%,transparent\)\)\}/,
    );
    assert.match(code, /and \(max-width/);
    assert.match(code, /content:"a, b \( c \) \/ d"/);
    assert.match(code, /grid-column:1\/-1/);
    assert.match(code, /calc\(100% - 2rem\)/);
  });

  it('keeps a css`` with ${} holes as written', async () => {
    const source = `import {css, unsafeCSS} from 'lit';
export default css\`
  a { color: \${unsafeCSS('red')}; }
\`;`;
    assert.match(await build(source), /css`\n {2}a \{ color: \$\{unsafeCSS\('red'\)\}; \}\n`/);
  });

  it('collapses whitespace runs with a line break in html`` to one space, holes kept', async () => {
    const code = await build(`import {html} from 'lit';
export const row = (name) => html\`<li
    class="row"
  >
    <span>\${name}</span>
    <b>done</b>
  </li>\`;`);
    assert.match(code, /html`<li class="row" > <span>\$\{name\}<\/span> <b>done<\/b> <\/li>`/);
  });

  it('leaves html`` with <pre>, <textarea> or an attribute value across lines as written', async () => {
    for (const body of [
      '<pre>\n  a\n    b</pre>',
      '<textarea>\n  x\n</textarea>',
      '<p title="one\n  two">\n  text\n</p>',
    ]) {
      const code = await build(`import {html} from 'lit';\nexport const t = html\`${body}\`;`);
      assert.ok(code.includes(body), `${JSON.stringify(body)} kept`);
    }
  });

  it('touches only the tags imported from Lit', async () => {
    const code = await build(`const html = (s) => s.raw.join('');
export const t = html\`<p>
    kept
  </p>\`;`);
    assert.ok(code.includes('<p>\n    kept\n  </p>'));
  });
});

/** Bundles in-memory modules (`entry.js` first) through minifyChunk with `internal` names. */
async function minified(modules: Record<string, string>, internal: string[]): Promise<string[]> {
  const files: Plugin = {
    name: 'files',
    resolveId: (id) => (id.replace('./', '') in modules ? id.replace('./', '') : null),
    load: (id) => modules[id] ?? null,
  };
  const bundle = await rollup({
    input: 'entry.js',
    plugins: [files, minifyChunk({target: 'es2022', internal})],
  });
  const {output} = await bundle.generate({format: 'es'});
  await bundle.close();
  return output.flatMap((file) => (file.type === 'chunk' ? [file.code] : []));
}

describe('minifyChunk', () => {
  it('shortens the internal property names it is given, and no other', async () => {
    const [code] = await minified(
      {
        'entry.js': `export const make = (n) => ({longInternalName: n, publicName: n});
export const read = (record) => record.longInternalName;`,
      },
      ['longInternalName'],
    );
    assert.doesNotMatch(code!, /longInternalName/);
    const {make, read} = (await import(`data:text/javascript,${encodeURIComponent(code!)}`)) as {
      make: (n: number) => Record<string, number>;
      read: (record: Record<string, number>) => number;
    };
    assert.equal(read(make(2)), 2);
    assert.equal(make(2).publicName, 2);
    assert.equal(Object.keys(make(2)).length, 2);
  });

  it('fails the build when a chunk names an internal property in a string', async () => {
    await assert.rejects(
      minified({'entry.js': `export const o = {longInternalName: 1, key: 'longInternalName'};`}, [
        'longInternalName',
      ]),
      /entry\.js names the internal property longInternalName in a string/,
    );
  });

  it('fails the build when two chunks use one internal property (each is minified alone)', async () => {
    await assert.rejects(
      minified(
        {
          'entry.js': `export const o = {longInternalName: 1};
export const later = () => import('./late.js');`,
          'late.js': `export const read = (o) => o.longInternalName;`,
        },
        ['longInternalName'],
      ),
      /both use the internal property longInternalName/,
    );
  });
  it('fails the build when an internal name is one terser keeps (a DOM name such as take)', async () => {
    await assert.rejects(
      minified(
        {
          'entry.js': `export const make = (n) => ({take: n});
export const read = (o) => o.take;`,
        },
        ['take'],
      ),
      /keeps the internal properties take/,
    );
  });
});

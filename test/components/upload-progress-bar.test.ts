import {expect} from '@esm-bundle/chai';
import {emulateMedia} from '@web/test-runner-commands';
import '../../components/index.js';
import {UploadProgressBar} from '../../components/index.js';
import {axeViolations} from './fake-manager.js';

async function make(html: string): Promise<UploadProgressBar> {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  const bar = host.firstElementChild as UploadProgressBar;
  await bar.updateComplete;
  return bar;
}

const inner = (bar: UploadProgressBar) =>
  bar.shadowRoot!.querySelector<HTMLElement>('[role="progressbar"]')!;

describe('<upload-progress-bar>', () => {
  afterEach(() => {
    document.querySelectorAll('upload-progress-bar').forEach((el) => el.parentElement!.remove());
  });

  it('is a progressbar with min, max, an integer floored valuenow, its label and valuetext', async () => {
    const bar = await make(
      '<upload-progress-bar value="45.7" label="report.pdf" valuetext="45%, processing"></upload-progress-bar>',
    );
    const el = inner(bar);
    expect(el.getAttribute('aria-valuemin')).to.equal('0');
    expect(el.getAttribute('aria-valuemax')).to.equal('100');
    expect(el.getAttribute('aria-valuenow')).to.equal('45');
    expect(el.getAttribute('aria-label')).to.equal('report.pdf');
    expect(el.getAttribute('aria-valuetext')).to.equal('45%, processing');
    expect(el.getAttribute('part')).to.equal('base');
    const indicator = bar.shadowRoot!.querySelector<HTMLElement>('[part="indicator"]')!;
    // Scaled, not resized: moving bars cost no layout.
    expect(indicator.style.transform).to.equal('scaleX(0.457)');
    expect(indicator.style.inlineSize).to.equal('');
  });

  it('never says 100 before 100, clamps, and treats NaN as 0', async () => {
    const bar = await make('<upload-progress-bar label="x"></upload-progress-bar>');
    const cases: [number, string][] = [
      [99.99, '99'],
      [100, '100'],
      [250, '100'],
      [-4, '0'],
      [Number.NaN, '0'],
    ];
    for (const [value, now] of cases) {
      bar.value = value;
      await bar.updateComplete;
      expect(inner(bar).getAttribute('aria-valuenow'), String(value)).to.equal(now);
    }
    bar.setAttribute('value', 'junk');
    await bar.updateComplete;
    expect(inner(bar).getAttribute('aria-valuenow')).to.equal('0');
  });

  it('leaves out valuenow and valuetext when not given or indeterminate', async () => {
    const bar = await make('<upload-progress-bar label="x" indeterminate></upload-progress-bar>');
    expect(inner(bar).hasAttribute('aria-valuenow')).to.equal(false);
    expect(inner(bar).hasAttribute('aria-valuetext')).to.equal(false);
    bar.indeterminate = false;
    bar.value = 3;
    await bar.updateComplete;
    expect(inner(bar).getAttribute('aria-valuenow')).to.equal('3');
  });

  it('takes the custom properties', async () => {
    const bar = await make(
      '<upload-progress-bar value="50" label="x" style="--upload-progress-bar-height: 12px; --upload-progress-bar-color: rgb(1, 2, 3); --upload-progress-track-color: rgb(4, 5, 6); --upload-progress-radius: 3px"></upload-progress-bar>',
    );
    const base = getComputedStyle(inner(bar));
    const indicator = getComputedStyle(bar.shadowRoot!.querySelector('[part="indicator"]')!);
    expect(base.height).to.equal('12px');
    expect(base.backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(base.borderTopLeftRadius).to.equal('3px');
    expect(indicator.backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('does not animate under prefers-reduced-motion', async () => {
    const bar = await make('<upload-progress-bar value="50" label="x"></upload-progress-bar>');
    const indicator = bar.shadowRoot!.querySelector('[part="indicator"]')!;
    await emulateMedia({reducedMotion: 'no-preference'});
    expect(getComputedStyle(indicator).transitionDuration).to.not.equal('0s');
    await emulateMedia({reducedMotion: 'reduce'});
    try {
      expect(getComputedStyle(indicator).transitionDuration).to.equal('0s');
      bar.indeterminate = true;
      await bar.updateComplete;
      expect(getComputedStyle(indicator).animationName).to.equal('none');
    } finally {
      await emulateMedia({reducedMotion: 'no-preference'});
    }
  });

  it('paints with system colors in forced-colors mode', () => {
    // Chromium's forced colors cannot be emulated through this runner: check the rule.
    const text = [UploadProgressBar.styles].flat().join('');
    expect(text).to.match(/forced-colors:\s*active[\s\S]*background:\s*Highlight/);
    expect(text).to.match(/forced-colors:\s*active[\s\S]*border:\s*1px solid CanvasText/);
  });

  it('fills from the right in a right-to-left page', async () => {
    const bar = await make(
      '<upload-progress-bar value="25" label="x" dir="rtl"></upload-progress-bar>',
    );
    bar.style.inlineSize = '200px';
    const track = inner(bar).getBoundingClientRect();
    const fill = bar.shadowRoot!.querySelector('[part="indicator"]')!.getBoundingClientRect();
    expect(Math.round(fill.width)).to.equal(50);
    expect(Math.round(fill.right)).to.equal(Math.round(track.right));
  });

  it('passes axe-core', async () => {
    const bar = await make(
      '<upload-progress-bar value="20" label="report.pdf"></upload-progress-bar>',
    );
    expect(await axeViolations(bar)).to.deep.equal([]);
  });
});

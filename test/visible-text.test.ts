// Issue 13: a server's names and error texts cannot pose as something else through bidi
// controls or invisible characters, on screen or in what assistive technology reads.
import {expect} from '@esm-bundle/chai';
import '../components/index.js';
import {visibleText} from '../components/shared/visible-text.js';
import {FakeManager, rendered} from './components/fake-manager.js';
import {waitFor} from './helpers/sse.js';

const CONTROLS =
  /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** Where a substring of the text node `node` is drawn, from the left. */
function leftOf(node: Text, part: string): number {
  const range = document.createRange();
  const start = node.data.indexOf(part);
  range.setStart(node, start);
  range.setEnd(node, start + part.length);
  return range.getBoundingClientRect().left;
}

describe('visibleText', () => {
  it('drops what reorders or hides text, keeps joiners and every other character', () => {
    expect(visibleText('invoice\u202Egnp.exe')).to.equal('invoicegnp.exe');
    expect(visibleText('a\u2066b\u2069\u200Fc\u200Bd\uFEFFe\u00ADf\u061Cg\u202Ah\u202Ci')).to.equal(
      'abcdefghi',
    );
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(visibleText(`${family} \u0645\u0644\u0641.txt`)).to.equal(
      `${family} \u0645\u0644\u0641.txt`,
    );
  });
});

describe('a list of uploads with hostile names and errors', () => {
  afterEach(() => document.querySelectorAll('upload-progress-list').forEach((el) => el.remove()));

  it('shows and announces what the file is really called: "invoice\\u202Egnp.exe" ends in .exe', async function () {
    this.timeout(5000); // announcements are batched for a second
    const manager = new FakeManager();
    manager.set('x', {filename: 'invoice\u202Egnp.exe'});
    manager.set('y', {
      filename: 'photo\u2067\u202Egpj.scr',
      status: 'failed',
      error: 'Rejected \u202Eevil\u202C by the scanner',
    });
    const list = document.createElement('upload-progress-list');
    list.manager = manager;
    list.uploadIds = ['x', 'y'];
    document.body.append(list);
    await rendered(list);
    const [x, y] = [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')];

    const bdi = x!.querySelector('[part~="filename"] bdi')!;
    const name = [...bdi.childNodes].find(
      (node): node is Text => node instanceof Text && !!node.data,
    )!;
    expect(name.data).to.equal('invoicegnp.exe');
    // As drawn: "exe" comes after "gnp", not before it as an override would show it.
    expect(leftOf(name, 'exe')).to.be.greaterThan(leftOf(name, 'gnp'));

    // Nothing the server sent reorders any text of the rows, nor their accessible names.
    expect(CONTROLS.test(list.shadowRoot!.textContent!)).to.equal(false);
    for (const el of list.shadowRoot!.querySelectorAll('[aria-label], [title]')) {
      expect(CONTROLS.test(el.getAttribute('aria-label') ?? '')).to.equal(false);
      expect(CONTROLS.test(el.getAttribute('title') ?? '')).to.equal(false);
    }
    const bar = y!.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-label')).to.include('photogpj.scr');
    expect(y!.querySelector('[part~="status"]')!.textContent).to.equal(
      'Failed: Rejected evil by the scanner',
    );

    // What the live region says when an upload fails while shown.
    manager.set('x', {
      filename: 'invoice\u202Egnp.exe',
      status: 'failed',
      error: 'Blocked \u202Eexe.gnp\u202C here',
    });
    const region = () => document.querySelector('[data-upload-progress-announcer]');
    const said = await waitFor(
      () => region()?.textContent?.includes('invoicegnp.exe') && region()!.textContent!,
    );
    expect(said).to.include('Blocked exe.gnp here');
    expect(CONTROLS.test(said)).to.equal(false);
  });
});

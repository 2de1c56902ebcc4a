import {expect} from '@esm-bundle/chai';
import {emulateMedia, sendKeys, setViewport} from '@web/test-runner-commands';
import '../../components/index.js';
import type {
  UploadIds,
  UploadProgressModal,
  UploadProgressModalCloseDetail,
} from '../../components/index.js';
import {axeViolations, FakeManager, rendered} from './fake-manager.js';

let manager: FakeManager;
let opener: HTMLButtonElement;
let outside: HTMLButtonElement;

const dialogOf = (modal: UploadProgressModal) => modal.shadowRoot!.querySelector('dialog')!;
const listOf = (modal: UploadProgressModal) =>
  modal.shadowRoot!.querySelector('upload-progress-list')!;
const closeButton = (modal: UploadProgressModal) =>
  modal.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!;
const title = (modal: UploadProgressModal) =>
  modal.shadowRoot!.querySelector('[part="title"]')!.textContent!.trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextClose(target: EventTarget): Promise<CustomEvent<UploadProgressModalCloseDetail>> {
  return new Promise((resolve) =>
    target.addEventListener(
      'close',
      (event) => resolve(event as CustomEvent<UploadProgressModalCloseDetail>),
      {
        once: true,
      },
    ),
  );
}

/** A modal on the page, opened from a focused button. */
async function open(ids: string[], setup: (modal: UploadProgressModal) => void = () => {}) {
  const modal = document.createElement('upload-progress-modal');
  modal.manager = manager;
  setup(modal);
  document.body.append(modal);
  await modal.updateComplete;
  opener.focus();
  modal.uploadIds = ids;
  await modal.updateComplete;
  await rendered(modal, listOf(modal));
  return modal;
}

function completeAll(ids: string[]) {
  for (const id of ids)
    manager.set(id, {filename: `${id}.txt`, status: 'completed', uploaded_bytes: 1000});
}

describe('<upload-progress-modal>', () => {
  beforeEach(() => {
    manager = new FakeManager();
    opener = Object.assign(document.createElement('button'), {textContent: 'Upload'});
    outside = Object.assign(document.createElement('button'), {textContent: 'Elsewhere'});
    document.body.append(opener, outside);
  });
  afterEach(async () => {
    document.querySelectorAll('upload-progress-modal').forEach((el) => el.remove());
    opener.remove();
    outside.remove();
    document.documentElement.style.overflow = '';
  });

  it('stays closed until it gets upload ids, then opens modally, tracks them and moves focus in', async () => {
    const modal = document.createElement('upload-progress-modal');
    modal.manager = manager;
    document.body.append(modal);
    await modal.updateComplete;
    expect(dialogOf(modal).open).to.equal(false);
    expect(modal.hasAttribute('open')).to.equal(false);

    opener.focus();
    modal.uploadIds = ['a', 'b'];
    await modal.updateComplete;
    const dialog = dialogOf(modal);
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(modal.hasAttribute('open')).to.equal(true);
    expect(manager.tracked[0]).to.deep.equal(['a', 'b']);
    const active = modal.shadowRoot!.activeElement;
    expect(active).to.not.equal(null);
    expect(dialog.contains(active)).to.equal(true);
    expect(document.documentElement.style.overflow).to.equal('hidden');
    expect(dialog.getAttribute('aria-labelledby')).to.equal('title');
    expect(title(modal)).to.equal('Uploading files');
  });

  it('opens from the upload-ids attribute', async () => {
    const host = document.createElement('div');
    host.innerHTML = '<upload-progress-modal upload-ids="x y"></upload-progress-modal>';
    const modal = host.firstElementChild as UploadProgressModal;
    modal.manager = manager;
    document.body.append(host);
    await modal.updateComplete;
    expect(dialogOf(modal).open).to.equal(true);
    expect(manager.tracked.at(-1)).to.deep.equal(['x', 'y']);
    modal.close();
    host.remove();
  });

  it('shows the rows of its uploads', async () => {
    manager.set('a', {
      filename: 'report.pdf',
      total_bytes: 5_000_000,
      uploaded_bytes: 1_200_000,
      progress_percentage: 24,
    });
    const modal = await open(['a']);
    const list = listOf(modal);
    const bar = list.shadowRoot!.querySelector('[part~="row"] [role="progressbar"]')!;
    expect(bar.getAttribute('aria-label')).to.equal('report.pdf');
    expect(bar.getAttribute('aria-valuenow')).to.equal('24');
    expect(list.shadowRoot!.querySelector('[part="status"]')!.textContent).to.equal(
      'Processing 24%',
    );
    expect(list.shadowRoot!.querySelector('[part="size"]')!.textContent).to.equal('1.2 MB of 5 MB');
  });

  it('shows its dialog in the task after the one that opens it and its rows in the next, also when reopened fast', async () => {
    const modal = document.createElement('upload-progress-modal');
    modal.manager = manager;
    document.body.append(modal);
    await modal.updateComplete;
    const dialog = () => modal.shadowRoot!.querySelector('dialog')!;
    const list = () => modal.shadowRoot!.querySelector('upload-progress-list');
    /** Microtasks only: still the task that opened it. */
    const inTask = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };
    const nextTask = () => new Promise((resolve) => setTimeout(resolve));
    modal.uploadIds = ['a'];
    await inTask();
    // showModal() lays the page out: not in the task of the caller (which tracked 10,000
    // ids, say).
    expect(dialog().open, 'no dialog in the opening task').to.be.false;
    expect(modal.open, 'open at once').to.be.true;
    await nextTask();
    expect(dialog().open, 'dialog shown').to.be.true;
    expect(list(), 'no rows in the task that shows it').to.equal(null);
    await modal.updateComplete;
    expect(list(), 'rows once updateComplete settles').to.not.equal(null);
    // Closed before its rows came, then opened again: the rows are deferred again.
    modal.close();
    modal.show();
    await inTask();
    await nextTask();
    expect(dialog().open).to.be.true;
    modal.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    modal.show();
    await inTask();
    await nextTask();
    expect(dialog().open).to.be.true;
    expect(list(), 'no rows in the task that shows it again').to.equal(null);
    await modal.updateComplete;
    expect(list()).to.not.equal(null);
  });

  it("closed and opened again in one task, stays open when the first closing's close event comes late", async () => {
    const modal = document.createElement('upload-progress-modal');
    modal.manager = manager;
    document.body.append(modal);
    modal.uploadIds = ['a'];
    await modal.updateComplete;
    const dialog = modal.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.be.true;
    const reasons: string[] = [];
    modal.addEventListener('close', (event) => reasons.push(event.detail.reason));
    modal.close();
    modal.show();
    // Chromium fires a dialog's `close` event at the next frame: on a busy page, after the
    // reopening's update and before its dialog is shown (a task later). What it dispatches
    // then:
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(dialog.open, 'not shown yet').to.be.false;
    dialog.dispatchEvent(new Event('close'));
    await modal.updateComplete;
    expect(reasons).to.deep.equal(['user']);
    expect(modal.open, 'still open').to.be.true;
    expect(dialog.open, 'dialog shown').to.be.true;
  });

  it('takes what manager.track() takes: named rows before the first record', async () => {
    const modal = document.createElement('upload-progress-modal');
    modal.manager = manager;
    document.body.append(modal);
    const uploads: UploadIds = [
      {upload_id: 'a', filename: 'holiday.zip', total_bytes: 2_000_000},
      'b',
    ];
    modal.uploadIds = uploads;
    await modal.updateComplete;
    await rendered(modal, listOf(modal));
    expect(dialogOf(modal).open).to.equal(true);
    expect(manager.tracked[0]).to.deep.equal(['a', 'b']);
    const list = listOf(modal);
    const rows = [...list.shadowRoot!.querySelectorAll('[part~="row"]')];
    expect(rows.map((row) => row.querySelector('[part="filename"]')!.textContent)).to.deep.equal([
      'holiday.zip',
      'b',
    ]);
    expect(rows[0]!.querySelector('[part="size"]')!.textContent).to.equal('0 bytes of 2 MB');
    expect(rows[0]!.querySelector('[role="progressbar"]')!.getAttribute('aria-label')).to.equal(
      'holiday.zip',
    );
  });

  it('closes on Escape with reason "escape", restores focus and scrolling', async () => {
    document.documentElement.style.overflow = 'clip';
    const modal = await open(['a']);
    expect(document.documentElement.style.overflow).to.equal('hidden');
    const closed = nextClose(document);
    await sendKeys({press: 'Escape'});
    const event = await closed;
    expect(event.detail).to.deep.equal({reason: 'escape'});
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.target).to.equal(modal);
    expect(dialogOf(modal).open).to.equal(false);
    expect(modal.open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
    expect(document.documentElement.style.overflow).to.equal('clip');
  });

  it('has a close button named "Close" that closes with reason "user"', async () => {
    const modal = await open(['a']);
    const button = closeButton(modal);
    expect(button.getAttribute('aria-label')).to.equal('Close');
    expect(button.offsetWidth).to.be.at.least(44);
    expect(button.offsetHeight).to.be.at.least(44);
    const closed = nextClose(modal);
    button.click();
    expect((await closed).detail.reason).to.equal('user');
    expect(dialogOf(modal).open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
  });

  it('keeps Tab inside while open', async () => {
    const modal = await open(['a']);
    for (let i = 0; i < 4; i++) {
      await sendKeys({press: 'Tab'});
      expect(document.activeElement).to.not.equal(opener);
      expect(document.activeElement).to.not.equal(outside);
    }
    await sendKeys({press: 'Tab'});
    await sendKeys({press: 'Tab'});
    const active = modal.shadowRoot!.activeElement;
    expect(active === null || dialogOf(modal).contains(active)).to.equal(true);
  });

  it('fires a composed close that crosses shadow roots', async () => {
    const outer = document.createElement('div');
    const root = outer.attachShadow({mode: 'open'});
    const modal = document.createElement('upload-progress-modal');
    modal.manager = manager;
    root.append(modal);
    document.body.append(outer);
    modal.uploadIds = ['a'];
    await modal.updateComplete;
    const closed = nextClose(document);
    modal.close();
    const event = await closed;
    expect(event.detail.reason).to.equal('user');
    expect(event.target).to.equal(outer);
    outer.remove();
  });

  it('takes localised strings, the close button name included', async () => {
    const modal = await open(['a'], (m) => {
      m.strings = {close: 'Schließen', title: 'Dateien werden hochgeladen'};
    });
    expect(closeButton(modal).getAttribute('aria-label')).to.equal('Schließen');
    expect(title(modal)).to.equal('Dateien werden hochgeladen');
    expect(listOf(modal).strings).to.deep.equal(modal.strings);
  });

  describe('auto-close', () => {
    it('closes by itself after the delay once all completed, with reason "auto"', async () => {
      const modal = await open(['a', 'b'], (m) => (m.autoCloseDelay = 50));
      manager.set('a', {status: 'completed', uploaded_bytes: 1000});
      await rendered(modal);
      await sleep(120);
      expect(dialogOf(modal).open, 'not before all completed').to.equal(true);
      const closed = nextClose(modal);
      const started = performance.now();
      manager.set('b', {status: 'completed', uploaded_bytes: 1000});
      await rendered(modal);
      expect(title(modal)).to.equal('Uploads finished');
      const event = await closed;
      expect(event.detail.reason).to.equal('auto');
      expect(performance.now() - started).to.be.at.least(45);
      expect(document.activeElement).to.equal(opener);
    });

    it('waits the default 1500 ms', async () => {
      const modal = await open(['a']);
      expect(modal.autoCloseDelay).to.equal(1500);
      completeAll(['a']);
      await rendered(modal);
      await sleep(300);
      expect(dialogOf(modal).open).to.equal(true);
    });

    it('never closes by itself while an upload failed', async () => {
      const modal = await open(['a', 'b'], (m) => (m.autoCloseDelay = 0));
      manager.set('a', {status: 'completed', uploaded_bytes: 1000});
      manager.set('b', {status: 'failed', error: 'Nope'});
      await rendered(modal, listOf(modal));
      await sleep(150);
      expect(dialogOf(modal).open).to.equal(true);
      expect(title(modal)).to.equal('Uploads finished');
      const status = listOf(modal).shadowRoot!.querySelectorAll('[part="status"]')[1]!;
      expect(status.textContent).to.equal('Failed: Nope');
    });

    it('does not close by itself with a negative delay', async () => {
      const modal = await open(['a'], (m) => m.setAttribute('auto-close-delay', '-1'));
      expect(modal.autoCloseDelay).to.equal(-1);
      completeAll(['a']);
      await rendered(modal);
      await sleep(150);
      expect(dialogOf(modal).open).to.equal(true);
    });

    it('waits while the pointer is inside, and resumes after it leaves', async () => {
      const modal = await open(['a'], (m) => (m.autoCloseDelay = 50));
      // Synthetic boundary events: a page the runner keeps in the background gets no
      // hover updates from real mouse moves.
      const panel = modal.shadowRoot!.querySelector('[part="panel"]')!;
      panel.dispatchEvent(new PointerEvent('pointerenter'));
      completeAll(['a']);
      await rendered(modal);
      await sleep(150);
      expect(dialogOf(modal).open, 'open while hovered').to.equal(true);
      const closed = nextClose(modal);
      panel.dispatchEvent(new PointerEvent('pointerleave'));
      expect((await closed).detail.reason).to.equal('auto');
    });

    it('waits while keyboard focus is inside, and resumes after it leaves', async () => {
      const modal = await open(['a'], (m) => (m.autoCloseDelay = 50));
      closeButton(modal).focus();
      completeAll(['a']);
      await rendered(modal);
      await sleep(150);
      expect(dialogOf(modal).open, 'open while focused').to.equal(true);
      const closed = nextClose(modal);
      closeButton(modal).blur();
      expect((await closed).detail.reason).to.equal('auto');
    });
  });

  it('fires close every time, and opens again with new ids', async () => {
    const modal = await open(['a']);
    const reasons: string[] = [];
    modal.addEventListener('close', (event) => reasons.push(event.detail.reason));
    modal.close();
    modal.uploadIds = ['b'];
    await modal.updateComplete;
    expect(dialogOf(modal).open).to.equal(true);
    await sendKeys({press: 'Escape'});
    await modal.updateComplete;
    modal.uploadIds = ['c'];
    await modal.updateComplete;
    modal.uploadIds = null;
    await modal.updateComplete;
    expect(reasons).to.deep.equal(['user', 'escape', 'user']);
    expect(dialogOf(modal).open).to.equal(false);
  });

  it('gives the page its scrolling back when removed while open', async () => {
    const modal = await open(['a']);
    expect(document.documentElement.style.overflow).to.equal('hidden');
    modal.remove();
    expect(document.documentElement.style.overflow).to.equal('');
  });

  describe('accessibility (axe-core)', () => {
    const states: [string, () => void][] = [
      [
        'uploading',
        () => manager.set('a', {filename: 'a.pdf', uploaded_bytes: 400, progress_percentage: 40}),
      ],
      [
        'failed',
        () => manager.set('a', {filename: 'a.pdf', status: 'failed', error: 'Server said no'}),
      ],
      ['done', () => completeAll(['a', 'b'])],
    ];
    for (const [state, arrange] of states) {
      it(`has no serious or critical violations while ${state}`, async () => {
        const modal = await open(['a', 'b'], (m) => (m.autoCloseDelay = -1));
        arrange();
        await rendered(modal, listOf(modal));
        expect(listOf(modal).shadowRoot!.querySelectorAll('[part~="row"]')).to.have.length(2);
        expect(await axeViolations(modal)).to.deep.equal([]);
      });
    }
  });

  it("adds no landmark: the page's own banner stays the only one while it is open", async () => {
    // The modal's header part is not a <header>: inside the dialog's shadow root axe counts
    // one as a second banner (landmark-no-duplicate-banner, landmark-unique).
    const banner = Object.assign(document.createElement('header'), {textContent: 'Site'});
    document.body.prepend(banner);
    try {
      const modal = await open(['a'], (m) => (m.autoCloseDelay = -1));
      expect(modal.open).to.equal(true);
      expect(modal.shadowRoot!.querySelector('[part="header"]')).to.exist;
      const results = await window.axe.run(document, {
        runOnly: [
          'landmark-no-duplicate-banner',
          'landmark-unique',
          'landmark-banner-is-top-level',
        ],
      });
      expect(results.violations.map((v) => v.id)).to.deep.equal([]);
    } finally {
      banner.remove();
    }
  });

  it('follows the light or dark color scheme', async () => {
    const modal = await open(['a']);
    const luminance = () => {
      const [r, g, b] = getComputedStyle(dialogOf(modal))
        .backgroundColor.match(/\d+/g)!
        .map(Number);
      return (r! + g! + b!) / 3;
    };
    try {
      await emulateMedia({colorScheme: 'dark'});
      expect(luminance()).to.be.below(80);
      await emulateMedia({colorScheme: 'light'});
      expect(luminance()).to.be.above(200);
    } finally {
      await emulateMedia({colorScheme: 'no-preference'});
    }
  });

  describe('small screens', () => {
    afterEach(() => setViewport({width: 800, height: 600}));

    it('is a full-width sheet at 480 px and does not scroll sideways at 320 px', async () => {
      await setViewport({width: 480, height: 700});
      manager.set('a', {
        filename: 'quarterly-report-'.repeat(20) + '.pdf',
        total_bytes: 123_456_789_012,
        uploaded_bytes: 12_345_678_901,
      });
      manager.set('b', {
        filename: 'b.bin',
        status: 'failed',
        error: 'A very long error message without any breaks: ' + 'x'.repeat(200),
      });
      manager.bytesPerSecond = 123_456_789;
      const modal = await open(['a', 'b']);
      const dialog = dialogOf(modal);
      expect(dialog.offsetWidth).to.equal(480);

      await setViewport({width: 320, height: 640});
      await rendered(modal, listOf(modal));

      expect(dialog.offsetWidth).to.equal(320);
      expect(dialog.scrollWidth).to.be.at.most(dialog.clientWidth);
      const body = listOf(modal);
      expect(body.scrollWidth).to.be.at.most(body.clientWidth);
      // Layout boxes, not the (maybe still running) opening animation's transform.
      expect(dialog.offsetTop + dialog.offsetHeight).to.be.at.most(640);
      expect(closeButton(modal).offsetWidth).to.be.at.least(44);
    });
  });
});

import {expect} from '@esm-bundle/chai';
import '../../components/index.js';
import type {UploadProgressModal} from '../../components/index.js';
import type {ResumableJob, ResumableRun, ResumableTransfer} from '../../src/index.js';
import {FakeXhrs} from '../helpers/fake-xhr.js';
import {scriptedManager} from '../helpers/scripted-manager.js';
import {waitFor} from '../helpers/sse.js';
import {axeViolations, rendered} from './fake-manager.js';

// The rows' Pause, Resume and Retry buttons, driven as a user would (a click on the button
// whose accessible name says which file), over a scripted resumable transfer (what each
// button asks of it is recorded) and a scripted XMLHttpRequest for the single POST.

/** A resumable transfer whose files move only when the test says so. */
class ScriptedTransfer implements ResumableTransfer {
  readonly files: {job: ResumableJob; calls: string[]}[] = [];
  fingerprint = (file: Blob) => `scripted-${(file as File).name}`;
  throttle(): void {}
  send(_file: Blob, job: ResumableJob): ResumableRun {
    const calls: string[] = [];
    this.files.push({job, calls});
    return {
      // As tusTransfer() does: the run shows its pauses on the file's entry.
      pause: () => (calls.push('pause'), job.handle.setPaused?.(true)),
      resume: () => (calls.push('resume'), job.handle.setPaused?.(false)),
      retry: () => calls.push('retry'),
      throttle: () => calls.push('throttle'),
    };
  }
}

const listOf = (modal: UploadProgressModal) =>
  modal.shadowRoot!.querySelector('upload-progress-list')!;
const button = (modal: UploadProgressModal, name: string) =>
  listOf(modal).shadowRoot!.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);
const buttons = (modal: UploadProgressModal) =>
  [...listOf(modal).shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part~="action"]')].map(
    (b) => b.getAttribute('aria-label'),
  );
const status = (modal: UploadProgressModal, i: number) => {
  const rows = listOf(modal).shadowRoot!.querySelectorAll('[part~="row"]');
  return rows[i]!.querySelector('[part="status"]')!.textContent!.trim();
};
const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

async function modalOnPage() {
  const modal = document.createElement('upload-progress-modal');
  modal.autoCloseDelay = -1;
  document.body.append(modal);
  await modal.updateComplete;
  return modal;
}
const settle = async (modal: UploadProgressModal) => {
  await modal.updateComplete;
  await rendered(modal, listOf(modal));
};

describe('rows: pause, resume and retry buttons', () => {
  afterEach(() => {
    document.querySelectorAll('upload-progress-modal').forEach((el) => el.remove());
    document.documentElement.style.overflow = '';
  });

  it('pause and resume a resumable file from its row; each button names its file', async () => {
    const {manager} = scriptedManager();
    const tus = new ScriptedTransfer();
    const modal = await modalOnPage();
    const task = modal.upload([file('a.bin', 1000), file('b.bin', 2000)], {
      manager,
      tus,
      confirmLeave: false,
    });
    task.catch(() => undefined);
    await settle(modal);
    expect(buttons(modal)).to.deep.equal(['Pause a.bin', 'Pause b.bin']);
    expect(await axeViolations(modal)).to.deep.equal([]);

    tus.files[0]!.job.handle.progress(400);
    button(modal, 'Pause a.bin')!.click();
    expect(tus.files[0]!.calls).to.deep.equal(['pause']);
    expect(tus.files[1]!.calls).to.deep.equal([]);
    await settle(modal);
    expect(status(modal, 0)).to.equal('Paused 20%');
    expect(buttons(modal)).to.deep.equal(['Resume a.bin', 'Pause b.bin']);
    expect(manager.getSnapshot().uploads.get(task.keys[0]!)?.paused).to.equal(true);

    button(modal, 'Resume a.bin')!.click();
    expect(tus.files[0]!.calls).to.deep.equal(['pause', 'resume']);
    await settle(modal);
    expect(status(modal, 0)).to.equal('Sending 20%');
    expect(buttons(modal)).to.deep.equal(['Pause a.bin', 'Pause b.bin']);

    // From the keyboard: Enter on a row presses its button.
    const rowB = listOf(modal).shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')[1]!;
    rowB.focus();
    rowB.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, composed: true}));
    expect(tus.files[1]!.calls).to.deep.equal(['pause']);
    await settle(modal);
    expect(buttons(modal)).to.deep.equal(['Pause a.bin', 'Resume b.bin']);

    // Once the server has the file, there is nothing left to pause.
    tus.files[0]!.job.handle.attach('srv-a');
    tus.files[0]!.job.onEnd('srv-a');
    await settle(modal);
    expect(buttons(modal)).to.deep.equal(['Resume b.bin']);
  });

  it('retry from a failed row continues the file (resumable: from the server offset) to its true end', async () => {
    const {manager, bodies, send} = scriptedManager();
    const tus = new ScriptedTransfer();
    const modal = await modalOnPage();
    const task = modal.upload([file('c.bin', 1000)], {manager, tus, confirmLeave: false});
    const failed = task.catch((e: unknown) => e);
    tus.files[0]!.job.handle.progress(600);
    tus.files[0]!.job.onEnd(null, {kind: 'upload-network', message: 'The connection dropped.'});
    expect(await failed).to.have.property('kind', 'upload-network');
    await settle(modal);
    expect(status(modal, 0)).to.equal('Failed: The connection dropped.');
    expect(buttons(modal)).to.deep.equal(['Retry c.bin']);
    const figure = manager.getSnapshot().overallPercentage;

    button(modal, 'Retry c.bin')!.click();
    expect(tus.files[0]!.calls).to.deep.equal(['retry']);
    await settle(modal);
    expect(status(modal, 0)).to.equal('Sending 30%');
    expect(manager.getSnapshot().overallPercentage).to.be.at.least(figure);
    expect(buttons(modal)).to.deep.equal(['Pause c.bin']);

    tus.files[0]!.job.handle.progress(1000);
    tus.files[0]!.job.handle.attach('srv-c');
    tus.files[0]!.job.onEnd('srv-c');
    await waitFor(() => bodies.has('srv-c'));
    send('srv-c', {filename: 'c.bin', total_bytes: 1000, status: 'completed'});
    await waitFor(() => manager.getSnapshot().allCompleted);
    await settle(modal);
    expect(status(modal, 0)).to.equal('Completed');
    expect(buttons(modal)).to.deep.equal([]);
  });

  it('retry from a failed row sends a single-POST file again, from its first byte', async () => {
    const {manager, bodies, send} = scriptedManager();
    const xhrs = new FakeXhrs();
    const modal = await modalOnPage();
    const task = modal.upload([file('d.txt', 100)], {manager, createXhr: xhrs.create});
    const failed = task.catch((e: unknown) => e);
    await waitFor(() => xhrs.active().length === 1);
    xhrs.active()[0]!.progress(50);
    xhrs.active()[0]!.fail();
    expect(await failed).to.have.property('kind', 'upload-network');
    await settle(modal);
    expect(buttons(modal)).to.deep.equal(['Retry d.txt']);

    button(modal, 'Retry d.txt')!.click();
    await waitFor(() => xhrs.active().length === 1);
    const again = xhrs.active()[0]!;
    expect(again).to.not.equal(xhrs.all[0]);
    expect(await again.text()).to.contain('filename="d.txt"');
    again.respond(200, {upload_ids: ['srv-d']});
    await waitFor(() => bodies.has('srv-d'));
    send('srv-d', {filename: 'd.txt', total_bytes: 100, status: 'completed'});
    await waitFor(() => manager.getSnapshot().allCompleted);
    await settle(modal);
    expect(status(modal, 0)).to.equal('Completed');
  });
});

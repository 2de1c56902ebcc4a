import {expect} from '@esm-bundle/chai';
import '../../components/index.js';
import type {UploadProgressModal, UploadProgressModalCloseDetail} from '../../components/index.js';
import {
  ConnectionBudget,
  UploadProgressManager,
  resumeUploads,
  type UploadStorage,
} from '../../src/index.js';
import {FakeXhrs} from '../helpers/fake-xhr.js';
import {scriptedManager} from '../helpers/scripted-manager.js';
import {waitFor} from '../helpers/sse.js';
import {axeViolations, FakeManager, rendered} from './fake-manager.js';

// modal.upload(files): the modal shows files from the first byte, while they are sent, then
// while the server processes them.

const listOf = (modal: UploadProgressModal) =>
  modal.shadowRoot!.querySelector('upload-progress-list')!;
const rows = (modal: UploadProgressModal) =>
  [...listOf(modal).shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')].map((row) => ({
    status: row.part[1], // part="row <status>"
    name: row.querySelector('[part="filename"]')!.textContent!.trim(),
    text: row.querySelector('[part="status"]')!.textContent!.trim(),
    size: row.querySelector('[part="size"]')!.textContent!.trim(),
    now: Number(row.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')),
  }));
const overall = (modal: UploadProgressModal) =>
  Number(
    listOf(modal).shadowRoot!.querySelector('[part~="overall-bar"]')!.getAttribute('aria-valuenow'),
  );

function scripted() {
  const {manager, bodies, send} = scriptedManager();
  return {manager, bodies, send};
}

async function modalOnPage(setup: (modal: UploadProgressModal) => void = () => {}) {
  const modal = document.createElement('upload-progress-modal');
  setup(modal);
  document.body.append(modal);
  await modal.updateComplete;
  return modal;
}

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('<upload-progress-modal> upload()', () => {
  afterEach(() => {
    document.querySelectorAll('upload-progress-modal').forEach((el) => el.remove());
    document.documentElement.style.overflow = '';
  });

  it('opens at once on the files being sent, then shows them processed, in one figure', async () => {
    const {manager, bodies, send} = scripted();
    const xhrs = new FakeXhrs();
    const modal = await modalOnPage((m) => (m.autoCloseDelay = 0));
    const task = modal.upload([file('a.txt', 1000), file('b.txt', 3000)], {
      manager,
      createXhr: xhrs.create,
    });
    expect(modal.manager).to.equal(manager);
    expect(modal.uploadIds).to.deep.equal([...task.keys]);
    await modal.updateComplete;
    await rendered(modal, listOf(modal));
    expect(modal.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    expect(rows(modal)).to.deep.equal([
      {status: 'sending', name: 'a.txt', text: 'Sending 0%', size: '0 bytes of 1 kB', now: 0},
      {status: 'sending', name: 'b.txt', text: 'Sending 0%', size: '0 bytes of 3 kB', now: 0},
    ]);
    expect(await axeViolations(modal)).to.deep.equal([]);

    await waitFor(() => xhrs.active().length === 1);
    const xhr = xhrs.active()[0]!;
    xhr.progress(xhr.body!.size - 1600); // all of a.txt, about half of b.txt
    await rendered(modal, listOf(modal));
    const sending = rows(modal);
    // The bar blends both phases (a.txt is all sent: half way); the bytes are the ones sent.
    expect(sending[0]).to.deep.include({text: 'Sending 50%', now: 50, size: '1 kB of 1 kB'});
    expect(sending[1]!.now).to.be.within(20, 25);
    expect(sending[1]!.size).to.match(/^1\.[3-5] kB of 3 kB$/);
    const before = overall(modal);
    expect(before).to.be.within(30, 35);

    xhr.respond(200, {upload_ids: ['id-a', 'id-b']});
    await task;
    await rendered(modal, listOf(modal));
    expect(rows(modal).map((r) => [r.status, r.text])).to.deep.equal([
      ['connecting', 'Connecting'],
      ['connecting', 'Connecting'],
    ]);
    expect(rows(modal).map((r) => r.now)).to.deep.equal([50, 50]);
    // No word from the server yet: what was sent.
    expect(rows(modal).map((r) => r.size)).to.deep.equal(['1 kB of 1 kB', '3 kB of 3 kB']);
    expect(overall(modal)).to.equal(50);

    await waitFor(() => bodies.has('id-a') && bodies.has('id-b'));
    send('id-a', {filename: 'a.txt', total_bytes: 1000, uploaded_bytes: 500});
    send('id-b', {filename: 'b.txt', total_bytes: 3000, uploaded_bytes: 0});
    await waitFor(() => manager.getSnapshot().progressMap.size === 2);
    await rendered(modal, listOf(modal));
    expect(rows(modal)[0]).to.deep.include({
      status: 'uploading',
      text: 'Processing 75%',
      size: '500 bytes of 1 kB', // what the server processed, not the blended 75 %
    });
    expect(rows(modal)[1]).to.deep.include({now: 50, size: '0 bytes of 3 kB'});

    const closed = new Promise<CustomEvent<UploadProgressModalCloseDetail>>((resolve) =>
      modal.addEventListener('close', resolve, {once: true}),
    );
    send('id-a', {status: 'completed', total_bytes: 1000});
    send('id-b', {status: 'completed', total_bytes: 3000});
    expect((await closed).detail.reason).to.equal('auto');
  });

  it('a failed row the server said no bytes of shows its size alone: a file that broke while sent, one it refused', async () => {
    const {manager} = scripted();
    const xhrs = new FakeXhrs();
    const modal = await modalOnPage();
    const options = {manager, createXhr: xhrs.create};
    const broken = modal.upload([file('a.txt', 1000)], options);
    const refused = modal.upload([file('b.txt', 2000)], options);
    await modal.updateComplete;
    await waitFor(() => xhrs.active().length === 2);
    const [first, second] = xhrs.active();
    first!.progress(first!.body!.size / 2);
    first!.fail();
    second!.respond(404, {detail: 'Not Found'});
    await Promise.allSettled([broken, refused]);
    await rendered(modal, listOf(modal));
    const [a, b] = rows(modal);
    expect(a!.status).to.equal('failed');
    expect(a!.now).to.be.within(20, 25); // the bar: about half sent
    expect(a!.size).to.equal('1 kB'); // the server said nothing of its bytes: the size alone
    expect(b!.status).to.equal('failed');
    expect(b!.now).to.equal(50); // the bar: all sent, nothing processed
    expect(b!.size).to.equal('2 kB'); // refused: no claim of bytes either way
  });

  it('a cancelled upload stays open on "Failed: Cancelled"', async () => {
    const {manager} = scripted();
    const xhrs = new FakeXhrs();
    const controller = new AbortController();
    const modal = await modalOnPage((m) => (m.autoCloseDelay = 0));
    const task = modal.upload([file('a.txt', 10)], {
      manager,
      createXhr: xhrs.create,
      signal: controller.signal,
    });
    await modal.updateComplete;
    await waitFor(() => xhrs.active().length === 1);
    controller.abort();
    expect(await task.catch((e: {kind: string}) => e.kind)).to.equal('cancelled');
    await rendered(modal, listOf(modal));
    expect(rows(modal)[0]).to.deep.include({status: 'failed', text: 'Failed: Cancelled'});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(modal.open).to.equal(true);
  });

  it('files added while it is open join the rows', async () => {
    const {manager} = scripted();
    const xhrs = new FakeXhrs();
    const modal = await modalOnPage();
    const controller = new AbortController();
    const options = {manager, createXhr: xhrs.create, signal: controller.signal};
    const first = modal.upload([file('a.txt', 10)], options);
    const second = modal.upload([file('b.txt', 10)], options);
    expect(modal.uploadIds).to.deep.equal([...first.keys, ...second.keys]);
    await modal.updateComplete;
    await rendered(modal, listOf(modal));
    expect(rows(modal).map((r) => r.name)).to.deep.equal(['a.txt', 'b.txt']);
    modal.close();
    const third = modal.upload([file('c.txt', 10)], options);
    expect(modal.uploadIds).to.deep.equal([...third.keys]);
    controller.abort();
    await Promise.allSettled([first, second, third]);
  });

  it('needs a manager that can track transfers', async () => {
    const modal = await modalOnPage((m) => (m.manager = new FakeManager()));
    expect(() => modal.upload([file('a.txt', 1)])).to.throw(TypeError, /UploadProgressManager/);
    expect(modal.open).to.equal(false);
  });

  it('resumes after a reload where it was, from what was stored', async () => {
    const {manager} = scripted();
    const items = new Map([
      [
        'upload-progress',
        JSON.stringify([
          {ref: 'x', upload_id: 'srv-9', filename: 'holiday.zip', total_bytes: 2_000_000},
        ]),
      ],
    ]);
    const storage: UploadStorage = {
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    };
    const modal = await modalOnPage((m) => (m.manager = manager));
    modal.uploadIds = resumeUploads({manager, storage});
    await modal.updateComplete;
    await rendered(modal, listOf(modal));
    expect(modal.open).to.equal(true);
    expect(rows(modal)[0]).to.deep.include({name: 'holiday.zip', now: 50, size: '2 MB of 2 MB'});
    manager.closeAll();
  });

  it('against the mock backend: rows from the first byte, closed once the server is done', async function () {
    this.timeout(15_000);
    const manager = new UploadProgressManager({connectionBudget: new ConnectionBudget()});
    const modal = await modalOnPage((m) => (m.autoCloseDelay = 0));
    const closed = new Promise((resolve) => modal.addEventListener('close', resolve, {once: true}));
    // The request's bytes are held until the rows were read: the modal shows its rows a task
    // or two after opening, by when a local server could otherwise have answered already.
    const send = XMLHttpRequest.prototype.send;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
      void held.then(() => send.call(this, body));
    };
    let task: Promise<readonly string[]>;
    try {
      task = modal.upload([file('one.txt', 40_000), file('two.txt', 60_000)], {
        manager,
        path: 'modal',
        fields: {mock: JSON.stringify({stepMs: 20, steps: 4})},
      });
      await modal.updateComplete;
      await listOf(modal).updateComplete;
      expect(rows(modal).map((r) => [r.name, r.status])).to.deep.equal([
        ['one.txt', 'sending'],
        ['two.txt', 'sending'],
      ]);
    } finally {
      XMLHttpRequest.prototype.send = send;
      release();
    }
    const ids = await task;
    expect(ids).to.have.length(2);
    await closed;
    expect(manager.getSnapshot().allCompleted).to.equal(true);
  });
});

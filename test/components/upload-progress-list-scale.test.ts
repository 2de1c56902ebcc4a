import {expect} from '@esm-bundle/chai';
import {sendKeys} from '@web/test-runner-commands';
import '../../components/index.js';
import {ConnectionBudget, UploadProgressManager} from '../../src/index.js';
import {eventStream, fakeFetch, message, record, waitFor} from '../helpers/sse.js';
import {axeViolations, FakeManager, rendered} from './fake-manager.js';

const MANY = 10_000;
const ids = (n: number, prefix = 'f') => Array.from({length: n}, (_, i) => `${prefix}${i}`);

let manager: FakeManager;

async function makeList(uploadIds: string[] | null, m: unknown = manager) {
  const list = document.createElement('upload-progress-list');
  list.manager = m as FakeManager;
  list.uploadIds = uploadIds;
  document.body.append(list);
  await rendered(list);
  await rendered(list);
  return list;
}

const rows = (list: Element) => [
  ...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]'),
];
const scroller = (list: Element) => list.shadowRoot!.querySelector<HTMLElement>('[part="rows"]')!;
/** Scrolls the rows; the scroll event is sent too, as a page in the background gets none. */
function scrollRows(list: Element, top: number) {
  const rows = scroller(list);
  rows.scrollTop = top;
  rows.dispatchEvent(new Event('scroll'));
}
const focusedRow = (list: Element) => list.shadowRoot!.activeElement as HTMLElement | null;
const nameOf = (row: Element) => row.querySelector('[part~="filename"]')!.textContent;
const statusOf = (row: Element) => row.querySelector('[part~="status"]')!.textContent;

describe('<upload-progress-list> with many uploads', () => {
  beforeEach(() => {
    manager = new FakeManager();
    for (const id of ids(MANY))
      manager.set(id, {filename: `${id}.jpg`, uploaded_bytes: 100, progress_percentage: 10});
  });
  afterEach(() => {
    document.querySelectorAll('upload-progress-list').forEach((el) => el.remove());
  });

  it('keeps only the rows in view in the DOM, each saying where it stands of the whole', async () => {
    const list = await makeList(ids(MANY));
    const shown = rows(list);
    expect(shown.length).to.be.within(5, 40);
    expect(shown.map((row) => row.getAttribute('aria-setsize'))).to.deep.equal(
      shown.map(() => String(MANY)),
    );
    expect(shown.map((row) => row.getAttribute('aria-posinset'))).to.deep.equal(
      shown.map((_, i) => String(i + 1)),
    );
    // The scrolling area is as tall as all the rows would be.
    expect(scroller(list).scrollHeight).to.be.greaterThan(MANY * 40);
    // Every rendered row keeps the contract's progressbar.
    for (const row of shown) {
      const bar = row.querySelector('[role="progressbar"]')!;
      expect(bar.getAttribute('aria-valuenow')).to.equal('10');
      expect(bar.getAttribute('aria-label')).to.equal(nameOf(row));
    }
  });

  it('measures the first rows of a new set in the task after its first render, not in it', async () => {
    const list = document.createElement('upload-progress-list');
    list.manager = manager;
    list.uploadIds = ids(MANY);
    // Counting height reads (each lays the page out when it is not), not timing them.
    const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight')!;
    let reads = 0;
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
      configurable: true,
      get(this: HTMLElement) {
        reads++;
        return own.get!.call(this);
      },
    });
    try {
      document.body.append(list);
      await list.updateComplete;
      expect(rows(list).length, 'rows rendered').to.be.within(5, 40);
      expect(reads, 'heights read in the task of the first render').to.equal(0);
      await new Promise((resolve) => setTimeout(resolve));
      expect(reads, 'a task later').to.be.at.least(rows(list).length);
    } finally {
      Object.defineProperty(HTMLElement.prototype, 'offsetHeight', own);
    }
  });

  it('removed before its first rows are measured, builds no more rows; put back, it measures them', async () => {
    const list = document.createElement('upload-progress-list');
    list.manager = manager;
    list.uploadIds = ids(MANY);
    document.body.append(list);
    await list.updateComplete;
    const first = rows(list).length;
    expect(first, 'rows rendered').to.be.within(5, 40);
    // As a modal closing (it drops its list) or a route change does, before the next task.
    list.remove();
    await new Promise((resolve) => setTimeout(resolve));
    await list.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
    expect(rows(list).length, 'rows while out of the page').to.be.at.most(first);
    document.body.append(list);
    await rendered(list);
    await rendered(list);
    expect(rows(list).length, 'rows once back').to.be.within(5, 40);
    const heights = rows(list).map((row) => row.offsetHeight);
    expect(Math.min(...heights), 'measured rows').to.be.greaterThan(0);
  });

  it('renders the rows where it is scrolled to, each in its current state', async () => {
    const list = await makeList(ids(MANY));
    manager.set('f7000', {filename: 'f7000.jpg', status: 'completed', uploaded_bytes: 1000});
    manager.set('f7001', {filename: 'f7001.jpg', status: 'failed', error: 'Disk full'});
    await rendered(list);
    // Row 7000 starts where 7,000 rows of the first one's height end.
    scrollRows(list, rows(list)[0]!.offsetHeight * 7000);
    await rendered(list);
    await rendered(list);
    const row = rows(list).find((r) => nameOf(r) === 'f7000.jpg');
    expect(row, 'row 7000 rendered').to.not.equal(undefined);
    expect(row!.getAttribute('aria-posinset')).to.equal('7001');
    expect(statusOf(row!)).to.equal('Completed');
    const next = rows(list).find((r) => nameOf(r) === 'f7001.jpg')!;
    expect(statusOf(next)).to.equal('Failed: Disk full');
    expect(rows(list).find((r) => nameOf(r) === 'f0.jpg')).to.equal(undefined);
    expect(rows(list).length).to.be.within(5, 40);
  });

  it('moves the focus through every upload with the keyboard: End, Home, arrows and Tab', async () => {
    const list = await makeList(ids(MANY));
    rows(list)[0]!.focus();
    expect(focusedRow(list)!.getAttribute('aria-posinset')).to.equal('1');
    await sendKeys({press: 'End'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === String(MANY), 'last');
    expect(nameOf(focusedRow(list)!)).to.equal(`f${MANY - 1}.jpg`);
    // Tab past the last upload leaves the list; Shift+Tab goes back one upload.
    await sendKeys({down: 'Shift'});
    await sendKeys({press: 'Tab'});
    await sendKeys({up: 'Shift'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === String(MANY - 1));
    await sendKeys({press: 'ArrowUp'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === String(MANY - 2));
    await sendKeys({press: 'Home'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === '1', 'first');
    expect(nameOf(focusedRow(list)!)).to.equal('f0.jpg');
    await sendKeys({press: 'Tab'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === '2', 'Tab');
    await sendKeys({press: 'ArrowDown'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === '3', 'ArrowDown');
    // Exactly one row is a Tab stop: the one the focus is on.
    expect(rows(list).filter((row) => row.tabIndex === 0)).to.deep.equal([focusedRow(list)]);
    expect(rows(list).length).to.be.at.most(40);
  });

  it('moves the focus ten rows at a time with Page Down and Page Up', async () => {
    const list = await makeList(ids(MANY));
    rows(list)[0]!.focus();
    const at = () => Number(focusedRow(list)?.getAttribute('aria-posinset'));
    await sendKeys({press: 'PageDown'});
    await waitFor(() => at() === 11, 'a page down');
    await sendKeys({press: 'PageDown'});
    await waitFor(() => at() === 21, 'two pages down');
    expect(nameOf(focusedRow(list)!)).to.equal('f20.jpg');
    await sendKeys({press: 'PageUp'});
    await sendKeys({press: 'PageUp'});
    await sendKeys({press: 'PageUp'});
    await waitFor(() => at() === 1, 'back to the first, not before it');
    await sendKeys({press: 'End'});
    await sendKeys({press: 'PageDown'});
    await waitFor(() => at() === MANY, 'stays on the last');
  });

  it('End shows the last row whole, its focus ring too', async () => {
    const list = await makeList(ids(MANY));
    rows(list)[0]!.focus();
    await sendKeys({press: 'End'});
    await waitFor(() => focusedRow(list)?.getAttribute('aria-posinset') === String(MANY), 'last');
    await rendered(list);
    await rendered(list);
    const view = scroller(list).getBoundingClientRect();
    const row = focusedRow(list)!.getBoundingClientRect();
    expect(row.bottom).to.be.at.most(view.bottom + 0.5);
    expect(row.top).to.be.at.least(view.top - 0.5);
  });

  it('keeps a focused row, and the focus, when the row is scrolled far away', async () => {
    const list = await makeList(ids(MANY));
    const first = rows(list)[0]!;
    first.focus();
    scrollRows(list, scroller(list).scrollHeight);
    await rendered(list);
    await rendered(list);
    expect(focusedRow(list)).to.equal(first);
    expect(first.isConnected).to.equal(true);
    expect(rows(list).some((row) => row.getAttribute('aria-posinset') === String(MANY))).to.equal(
      true,
    );
    // Placed where it belongs (the first row: at the top of the rows' whole height), not at
    // the start of the rows rendered.
    const items = list.shadowRoot!.querySelector('.items')!;
    expect(first.getBoundingClientRect().top).to.be.closeTo(items.getBoundingClientRect().top, 1);
    // And it still follows its upload.
    manager.set('f0', {filename: 'f0.jpg', status: 'completed', uploaded_bytes: 1000});
    await rendered(list);
    expect(statusOf(first)).to.equal('Completed');
  });

  it('shows exactly the failed uploads behind "Failed (N)"', async () => {
    const failed = ['f3', 'f977', 'f4242', 'f9999'];
    for (const id of failed) manager.set(id, {filename: `${id}.jpg`, status: 'failed', error: id});
    const list = await makeList(ids(MANY));
    const buttons = [
      ...list.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="filter-button"]'),
    ];
    expect(buttons.map((b) => b.textContent!.trim())).to.deep.equal(['All (10,000)', 'Failed (4)']);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    expect(list.shadowRoot!.querySelector('[part="counts"]')!.textContent).to.equal(
      'In progress 9,996 · Failed 4',
    );
    buttons[1]!.click();
    await rendered(list);
    expect(list.filter).to.equal('failed');
    expect(buttons[1]!.getAttribute('aria-pressed')).to.equal('true');
    expect(rows(list).map(nameOf)).to.deep.equal(failed.map((id) => `${id}.jpg`));
    expect(rows(list).map((row) => row.getAttribute('aria-setsize'))).to.deep.equal(
      failed.map(() => '4'),
    );
    // One more failure joins the filtered rows.
    manager.set('f5000', {filename: 'f5000.jpg', status: 'failed', error: 'late'});
    await rendered(list);
    expect(rows(list).map(nameOf)).to.deep.equal(
      ['f3', 'f977', 'f4242', 'f5000', 'f9999'].map((id) => `${id}.jpg`),
    );
    buttons[0]!.click();
    await rendered(list);
    expect(rows(list)[0]!.getAttribute('aria-setsize')).to.equal(String(MANY));
  });

  it('clamps a long failure reason to a few lines, and unfolds it on demand', async () => {
    const reason = 'disk full '.repeat(400);
    manager.set('f1', {filename: 'f1.jpg', status: 'failed', error: reason});
    const list = await makeList(ids(MANY));
    const row = rows(list)[1]!;
    const status = row.querySelector<HTMLElement>('[part~="status"]')!;
    expect(status.textContent).to.equal(`Failed: ${reason}`);
    const folded = row.offsetHeight;
    expect(folded).to.be.below(rows(list)[0]!.offsetHeight * 2);
    const more = row.querySelector<HTMLButtonElement>('[part="more"]')!;
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    more.click();
    await rendered(list);
    expect(more.getAttribute('aria-expanded')).to.equal('true');
    expect(row.offsetHeight).to.be.greaterThan(folded * 3);
    // The rows below moved down with it.
    const below = rows(list)[2]!;
    expect(below.getBoundingClientRect().top).to.be.at.least(
      row.getBoundingClientRect().bottom - 1,
    );
    // Enter on the focused row folds it again.
    row.focus();
    await sendKeys({press: 'Enter'});
    await rendered(list);
    expect(more.getAttribute('aria-expanded')).to.equal('false');
  });

  it('has no serious or critical axe violations with 10,000 uploads', async () => {
    manager.set('f2', {filename: 'f2.jpg', status: 'failed', error: 'x '.repeat(200)});
    const list = await makeList(ids(MANY));
    expect(await axeViolations(list)).to.deep.equal([]);
  });

  it('keeps nothing for uploads no longer tracked (uploadIds = null)', async function () {
    this.timeout(20_000);
    const {fetch} = fakeFetch((call) => {
      const id = call.url.split('/').pop()!;
      return eventStream(
        message(record({upload_id: id, filename: `${id}.bin`, status: 'completed'})),
      );
    });
    const real = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 50,
    });
    const list = await makeList(null, real);
    const baseline = list._retained;
    expect(baseline).to.equal(0);
    for (let round = 0; round < 3; round++) {
      real.track(ids(1000, `r${round}-`));
      await waitFor(() => real.getSnapshot().allSettled, 'settled', 15_000);
      await rendered(list);
      expect(list._retained).to.be.greaterThan(1000);
      real.closeAll();
      await rendered(list);
      expect(list._retained).to.equal(baseline);
    }
  });
});

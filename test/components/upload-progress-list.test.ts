import {expect} from '@esm-bundle/chai';
import {setViewport} from '@web/test-runner-commands';
import '../../components/index.js';
import type {UploadProgressList} from '../../components/index.js';
import {ConnectionBudget, UploadProgressManager} from '../../src/index.js';
import {ControlledBody, eventStream, fakeFetch, message, record, waitFor} from '../helpers/sse.js';
import {axeViolations, FakeManager, nextFrame, rendered} from './fake-manager.js';

let manager: FakeManager;

async function makeList(ids: string[] | null, width = ''): Promise<UploadProgressList> {
  const list = document.createElement('upload-progress-list');
  list.manager = manager;
  list.uploadIds = ids;
  if (width) list.style.inlineSize = width;
  document.body.append(list);
  await rendered(list);
  return list;
}

const $ = (list: Element, selector: string) =>
  list.shadowRoot!.querySelector<HTMLElement>(selector)!;
const rows = (list: Element) => [
  ...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]'),
];
const part = (row: Element, name: string) => row.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const liveRegion = () => document.querySelector<HTMLElement>('[data-upload-progress-announcer]');

describe('<upload-progress-list>', () => {
  beforeEach(() => {
    manager = new FakeManager();
  });
  afterEach(() => {
    document.querySelectorAll('upload-progress-list').forEach((el) => el.remove());
  });

  it('tracks the ids it is given, from the property or the attribute', async () => {
    await makeList(['a', 'b']);
    expect(manager.tracked).to.deep.equal([['a', 'b']]);
    const list = document.createElement('upload-progress-list');
    list.manager = manager;
    list.setAttribute('upload-ids', '  c\n d   e ');
    document.body.append(list);
    await list.updateComplete;
    expect(list.uploadIds).to.deep.equal(['c', 'd', 'e']);
    expect(manager.tracked[1]).to.deep.equal(['c', 'd', 'e']);
  });

  it('renders a row per id, in the order given: name, size, status in words and a named bar', async () => {
    manager.set('b', {
      filename: 'report.pdf',
      total_bytes: 5_000_000,
      uploaded_bytes: 1_234_000,
      progress_percentage: 45.7,
    });
    manager.set('a', {
      filename: 'photo.jpg',
      total_bytes: 2000,
      uploaded_bytes: 2000,
      status: 'completed',
      progress_percentage: 100,
    });
    manager.set('c', null, 'waiting');
    manager.set('d', null, 'connecting');
    const list = await makeList(['b', 'a', 'c', 'd']);
    const [b, a, c, d] = rows(list);
    expect(rows(list)).to.have.length(4);

    expect(part(b!, 'filename').textContent).to.equal('report.pdf');
    expect(part(b!, 'filename').title).to.equal('report.pdf');
    expect(part(b!, 'size').textContent).to.equal('1.2 MB of 5 MB');
    expect(part(b!, 'status').textContent).to.equal('Processing 45%');
    const bar = b!.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).to.equal('45');
    expect(bar.getAttribute('aria-valuemin')).to.equal('0');
    expect(bar.getAttribute('aria-valuemax')).to.equal('100');
    expect(bar.getAttribute('aria-label')).to.include('report.pdf');
    expect(bar.getAttribute('aria-label')).to.not.include('%');
    expect(bar.getAttribute('aria-valuetext')).to.equal('45%, processing');

    expect(part(a!, 'status').textContent).to.equal('Completed');
    expect(part(a!, 'size').textContent).to.equal('2 kB of 2 kB');
    expect(a!.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('100');
    expect(part(c!, 'status').textContent).to.equal('Waiting');
    expect(part(d!, 'status').textContent).to.equal('Connecting');
    expect(a!.getAttribute('part')).to.equal('row completed');
    // Status is never colour alone: each state has its own icon too.
    const icon = (row: Element) => getComputedStyle(part(row, 'icon'), '::before').content;
    expect(new Set([icon(a!), icon(b!), icon(c!)]).size).to.equal(3);
  });

  it('shows the error of a failed row and ties it to the bar with aria-describedby', async () => {
    manager.set('x', {
      filename: 'big.iso',
      status: 'failed',
      error: 'Disk quota exceeded',
      uploaded_bytes: 370,
      progress_percentage: 37,
    });
    const list = await makeList(['x']);
    const row = rows(list)[0]!;
    const status = part(row, 'status');
    expect(status.textContent).to.equal('Failed: Disk quota exceeded');
    expect(status.offsetHeight).to.be.greaterThan(0);
    const bar = row.querySelector('[role="progressbar"]')!;
    const described = bar.getAttribute('aria-describedby')!;
    expect(described).to.be.a('string').and.not.empty;
    expect(list.shadowRoot!.getElementById(described)).to.equal(status);
    expect(bar.getAttribute('aria-valuetext')).to.equal('37%, failed');
  });

  it('renders hostile filenames and errors as text', async () => {
    const html = '<img src=x onerror="window.__pwned=1">';
    const rtl = 'invoice\u202Efdp.exe';
    const long = 'a'.repeat(1000) + '.txt';
    manager.set('h', {filename: html, status: 'failed', error: '<b>bold</b>'});
    manager.set('r', {filename: rtl});
    manager.set('l', {
      filename: long,
      total_bytes: 999_999_999_999,
      uploaded_bytes: 500_000_000_000,
    });
    const list = await makeList(['h', 'r', 'l'], '320px');
    const [h, r, l] = rows(list);
    expect(list.shadowRoot!.querySelector('img, b') === null, 'no markup made').to.equal(true);
    expect((window as {__pwned?: number}).__pwned).to.equal(undefined);
    expect(part(h!, 'filename').textContent).to.equal(html);
    expect(part(h!, 'status').textContent).to.equal('Failed: <b>bold</b>');
    // The override cannot reorder what follows the name: it is isolated in a <bdi>.
    expect(part(r!, 'filename').querySelector('bdi')!.textContent).to.equal('invoicefdp.exe');
    const name = part(l!, 'filename');
    expect(name.title).to.equal(long);
    expect(name.scrollWidth).to.be.greaterThan(name.clientWidth);
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(l!.scrollWidth).to.be.at.most(l!.clientWidth);
    expect(list.scrollWidth).to.be.at.most(320);
  });

  it('shows the overall progress, speed and time left, then a summary', async () => {
    manager.bytesPerSecond = 1_000_000;
    for (const id of ['1', '2', '3', '4', '5'])
      manager.set(id, {filename: `${id}.bin`, total_bytes: 10_000_000});
    manager.set('1', {
      filename: '1.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 10_000_000,
      status: 'completed',
    });
    manager.set('2', {
      filename: '2.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 10_000_000,
      status: 'completed',
    });
    manager.set('3', {
      filename: '3.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 10_000_000,
      status: 'completed',
    });
    const list = await makeList(['1', '2', '3', '4', '5']);
    expect($(list, '[part="summary"]').textContent).to.equal('3 of 5 done');
    expect($(list, '[part="rate"]').textContent).to.match(/^1 MB\/s\s+20 sec left$/);
    const overall = $(list, '[part="overall-bar"]');
    expect(overall.getAttribute('role')).to.equal('progressbar');
    expect(overall.getAttribute('aria-valuenow')).to.equal('60');
    expect(overall.getAttribute('aria-label')).to.equal('Overall progress');

    manager.set('4', {
      filename: '4.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 10_000_000,
      status: 'completed',
    });
    manager.set('5', {
      filename: '5.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 10_000_000,
      status: 'completed',
    });
    await rendered(list);
    expect($(list, '[part="summary"]').textContent).to.equal('All 5 uploaded');
    expect($(list, '[part="rate"]')).to.equal(null);
    expect(overall.getAttribute('aria-valuenow')).to.equal('100');

    manager.set('5', {
      filename: '5.bin',
      total_bytes: 10_000_000,
      uploaded_bytes: 1,
      status: 'failed',
      error: 'x',
    });
    await rendered(list);
    expect($(list, '[part="summary"]').textContent).to.equal('4 uploaded, 1 failed');
  });

  it('counts only its own ids, not everything the manager tracks', async () => {
    manager.set('old', {status: 'failed', error: 'earlier batch'});
    manager.set('new', {status: 'completed', uploaded_bytes: 1000});
    const list = await makeList(['new']);
    expect(rows(list)).to.have.length(1);
    expect($(list, '[part="summary"]').textContent).to.equal('Upload complete');
  });

  it('a list of some of the uploads says no time left while one of its own waits its turn', async () => {
    manager.bytesPerSecond = 1_000_000;
    manager.set('old', {status: 'failed', error: 'earlier batch'});
    manager.set('a', {filename: 'a.bin', total_bytes: 10_000_000, uploaded_bytes: 5_000_000});
    manager.set('w', null);
    const list = await makeList(['a', 'w']);
    expect($(list, '[part="rate"]').textContent).to.match(/^1 MB\/s$/);
    manager.set('w', {filename: 'w.bin', total_bytes: 10_000_000});
    await rendered(list);
    expect($(list, '[part="rate"]').textContent).to.match(/^1 MB\/s\s+15 sec left$/);
  });

  it('a list of some of the uploads keeps its time left when one of its ids is untracked', async () => {
    manager.bytesPerSecond = 1_000_000;
    manager.set('old', {status: 'failed', error: 'earlier batch'});
    manager.set('a', {filename: 'a.bin', total_bytes: 10_000_000, uploaded_bytes: 5_000_000});
    manager.set('gone', {filename: 'g.bin', total_bytes: 10_000_000});
    const list = await makeList(['a', 'gone']);
    expect($(list, '[part="rate"]').textContent).to.match(/\sleft$/);
    manager.untrack('gone');
    await rendered(list);
    expect($(list, '[part="rate"]').textContent).to.match(/^1 MB\/s\s+\d+ sec left$/);
  });

  it('makes every button a target of 24 px at least (filter, Read more)', async () => {
    manager.set('ok', {filename: 'ok.bin'});
    manager.set('bad', {filename: 'bad.bin', status: 'failed', error: `No: ${'x '.repeat(200)}`});
    const list = await makeList(['ok', 'bad']);
    const buttons = [...list.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent!.trim())).to.include.members([
      'All (2)',
      'Failed (1)',
      'Read more',
    ]);
    for (const b of buttons) expect(b.getBoundingClientRect().height).to.be.at.least(24);
  });

  it('shows every tracked upload when uploadIds is null', async () => {
    manager.set('p', {filename: 'p.txt'});
    manager.set('q', {filename: 'q.txt'});
    const list = await makeList(null);
    expect(rows(list).map((row) => part(row, 'filename').textContent)).to.deep.equal([
      'p.txt',
      'q.txt',
    ]);
  });

  it('keeps each error tied to its own row when rows move', async () => {
    manager.set('p', {filename: 'p.txt'});
    manager.set('q', {filename: 'q.txt', status: 'failed', error: 'q broke'});
    const list = await makeList(null);
    manager.untrack('p');
    manager.set('r', {filename: 'r.txt', status: 'failed', error: 'r broke'});
    await rendered(list);
    const texts = rows(list).map((row) => {
      const id = row.querySelector('[role="progressbar"]')!.getAttribute('aria-describedby')!;
      expect(list.shadowRoot!.querySelectorAll(`[id="${id}"]`)).to.have.length(1);
      return list.shadowRoot!.getElementById(id)!.textContent;
    });
    expect(texts).to.deep.equal(['Failed: q broke', 'Failed: r broke']);
  });

  it('renders at most once per animation frame, and unsubscribes when removed', async () => {
    manager.set('u', {filename: 'u.bin'});
    const list = await makeList(['u']);
    let renders = 0;
    const render = list.render.bind(list);
    list.render = () => {
      renders++;
      return render();
    };
    for (let i = 1; i <= 20; i++) {
      manager.set('u', {filename: 'u.bin', uploaded_bytes: i * 10, progress_percentage: i});
      await Promise.resolve();
      await Promise.resolve();
    }
    await waitFor(
      () => part(rows(list)[0]!, 'status').textContent === 'Processing 20%',
      'last value',
    );
    await nextFrame();
    expect(renders).to.equal(1);
    list.remove();
    expect(manager.listenerCount).to.equal(0);
    // Neither listening nor reading once removed.
    manager.set('u', {filename: 'u.bin', uploaded_bytes: 500, progress_percentage: 50});
    await rendered();
    await rendered();
    expect(renders).to.equal(1);
  });

  it('reads the manager once a frame while uploads move, not once an event', async function () {
    this.timeout(10_000);
    manager.set('u', {filename: 'u.bin'});
    const list = await makeList(['u']);
    const before = manager.builds;
    // A hundred changes, each told to listeners in a task turn of its own.
    for (let i = 1; i <= 100; i++) {
      manager.set('u', {filename: 'u.bin', uploaded_bytes: i * 10, progress_percentage: i});
      await Promise.resolve();
      await Promise.resolve();
    }
    await waitFor(
      () => part(rows(list)[0]!, 'status').textContent === 'Processing 100%',
      'last value',
    );
    // A listener would have had a snapshot built for each of them.
    expect(manager.builds - before).to.be.at.most(5);
    // Once nothing moves it listens again, and still sees the next change.
    await waitFor(() => manager.listenerCount === 1, 'listening again', 3000);
    manager.set('u', {filename: 'u.bin', status: 'completed', uploaded_bytes: 1000});
    await waitFor(() => part(rows(list)[0]!, 'status').textContent === 'Completed', 'completed');
  });

  it('announces milestones in one light-DOM live region, batched and bounded', async function () {
    this.timeout(8000);
    for (let i = 0; i < 60; i++) manager.set(`m${i}`, {filename: `m${i}.bin`});
    const list = await makeList(Array.from({length: 60}, (_, i) => `m${i}`));
    const region = liveRegion()!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(region.parentElement).to.equal(document.body);
    expect(list.shadowRoot!.querySelector('[aria-live]')).to.equal(null);

    manager.set('m0', {filename: 'm0.bin', status: 'completed', uploaded_bytes: 1000});
    await rendered(list);
    await waitFor(() => region.textContent === 'm0.bin uploaded', 'first milestone', 2000);

    const changes: string[] = [];
    const observer = new MutationObserver(() => changes.push(region.textContent!));
    observer.observe(region, {childList: true, subtree: true, characterData: true});
    for (let i = 1; i < 60; i++) {
      manager.set(
        `m${i}`,
        i === 7
          ? {filename: 'm7.bin', status: 'failed', error: 'Virus found'}
          : {filename: `m${i}.bin`, status: 'completed', uploaded_bytes: 1000},
      );
      if (i % 10 === 0) await rendered(list);
    }
    await rendered(list);
    await waitFor(() => changes.length > 0, 'batched announcement', 2500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    expect(changes).to.deep.equal(['m7.bin failed: Virus found. 59 uploaded, 1 failed']);
  });

  it('announces only what settles after it opened, not uploads settled before', async () => {
    manager.set('done', {filename: 'done.bin', status: 'completed', uploaded_bytes: 1000});
    manager.set('r1', {filename: 'r1.bin'});
    manager.set('r2', {filename: 'r2.bin'});
    const list = await makeList(['done', 'r1', 'r2']);
    const region = liveRegion()!;
    manager.set('r1', {filename: 'r1.bin', status: 'completed', uploaded_bytes: 1000});
    await rendered(list);
    await waitFor(() => region.textContent === 'r1.bin uploaded', 'r1 alone', 2500);
  });

  it('announces a batch of many with how far the whole is, and a long reason shortened', async function () {
    this.timeout(8000);
    for (let i = 0; i < 60; i++) manager.set(`m${i}`, {filename: `m${i}.bin`});
    const list = await makeList(Array.from({length: 60}, (_, i) => `m${i}`));
    const region = liveRegion()!;
    const long = `Rejected: ${'x'.repeat(4000)}`;
    manager.set('m0', {filename: 'm0.bin', status: 'failed', error: long});
    await rendered(list);
    await waitFor(() => region.textContent!.startsWith('m0.bin failed: '), 'one failure', 2500);
    // The row keeps the whole reason; the announcement says its start.
    expect(region.textContent).to.equal(`m0.bin failed: ${long.slice(0, 149)}…`);
    for (let i = 1; i <= 10; i++) {
      manager.set(`m${i}`, {filename: `m${i}.bin`, status: 'completed', uploaded_bytes: 1000});
    }
    await rendered(list);
    await waitFor(() => region.textContent!.includes('uploaded'), 'batched announcement', 2500);
    expect(region.textContent).to.equal('10 uploaded. 11 of 60 done');
  });

  it('announces a long filename and reason shortened, never half an emoji', async () => {
    manager.set('e', {filename: 'e.bin'});
    const list = await makeList(['e']);
    const region = liveRegion()!;
    const name = `${'n'.repeat(4000)}.jpg`;
    manager.set('e', {filename: name, status: 'failed', error: '😀'.repeat(100)});
    await rendered(list);
    await waitFor(() => region.textContent!.includes(' failed: '), 'the failure', 2500);
    const said = region.textContent!;
    // The one upload settled: the summary follows.
    expect(said).to.equal(`${'n'.repeat(149)}… failed: ${'😀'.repeat(74)}…. 0 uploaded, 1 failed`);
    expect(said).not.to.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('works with a real manager fed by an event stream', async () => {
    const body = new ControlledBody();
    const {fetch} = fakeFetch(() => eventStream(body.stream));
    const real = new UploadProgressManager({fetch, connectionBudget: new ConnectionBudget()});
    const list = document.createElement('upload-progress-list');
    list.manager = real;
    list.uploadIds = ['u1'];
    document.body.append(list);
    body.push(message(record({uploaded_bytes: 500, progress_percentage: 50})));
    await waitFor(
      () => rows(list)[0] && part(rows(list)[0]!, 'status').textContent === 'Processing 50%',
      'progress row',
    );
    body.push(
      message(record({uploaded_bytes: 1000, progress_percentage: 100, status: 'completed'})),
    );
    await waitFor(
      () => part(rows(list)[0]!, 'status').textContent === 'Completed',
      'completed row',
    );
    expect(part(rows(list)[0]!, 'filename').textContent).to.equal('report.pdf');
    real.closeAll();
  });

  it('formats numbers for its locale and takes translated strings', async () => {
    manager.set('g', {
      filename: 'g.bin',
      total_bytes: 1_500_000,
      uploaded_bytes: 250_000,
      progress_percentage: 16.6,
    });
    const list = document.createElement('upload-progress-list');
    list.manager = manager;
    list.locale = 'de';
    list.strings = {processing: 'Verarbeitung', size: (a, b) => `${a} von ${b}`};
    list.uploadIds = ['g'];
    document.body.append(list);
    await rendered(list);
    const row = rows(list)[0]!;
    expect(part(row, 'size').textContent).to.equal('250 kB von 1,5 MB');
    expect(part(row, 'status').textContent).to.equal('Verarbeitung 16\u00a0%');
  });

  describe('accessibility (axe-core)', () => {
    const states: [string, () => void][] = [
      [
        'uploading',
        () => {
          manager.set('a', {filename: 'a.pdf', uploaded_bytes: 300, progress_percentage: 30});
          manager.set('b', null, 'waiting');
        },
      ],
      [
        'failed',
        () => {
          manager.set('a', {filename: 'a.pdf', status: 'completed', uploaded_bytes: 1000});
          manager.set('b', {filename: 'b.pdf', status: 'failed', error: 'Too large'});
        },
      ],
      [
        'done',
        () => {
          manager.set('a', {filename: 'a.pdf', status: 'completed', uploaded_bytes: 1000});
          manager.set('b', {filename: 'b.pdf', status: 'completed', uploaded_bytes: 1000});
        },
      ],
    ];
    for (const [state, arrange] of states) {
      it(`has no serious or critical violations while ${state}`, async () => {
        arrange();
        const list = await makeList(['a', 'b']);
        expect(rows(list)).to.have.length(2);
        expect(await axeViolations(list)).to.deep.equal([]);
      });
    }
  });

  it('does not scroll sideways at 320 px', async () => {
    await setViewport({width: 320, height: 640});
    try {
      manager.set('w', {
        filename: 'x'.repeat(300),
        total_bytes: 123_456_789_012,
        uploaded_bytes: 98_765_432_109,
      });
      manager.set('v', {filename: 'v.bin', status: 'failed', error: 'E'.repeat(200)});
      manager.bytesPerSecond = 123_456_789;
      const list = await makeList(['w', 'v']);
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      for (const row of rows(list)) expect(row.scrollWidth).to.be.at.most(row.clientWidth);
    } finally {
      await setViewport({width: 800, height: 600});
    }
  });
});

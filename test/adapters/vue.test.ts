// The Vue adapter with real Vue (3.5) in Chromium, imported through the package's exports.
// Components use render functions: the runtime-only build has no template compiler.
import {expect} from '@esm-bundle/chai';
import {createApp, defineComponent, effectScope, h, isReadonly, nextTick, ref, type App} from 'vue';
import {ConnectionBudget, UploadProgressManager} from 'upload-progress';
import {useMultiUploadProgress, useUploadProgress} from 'upload-progress/vue';
import {waitFor} from '../helpers/sse.js';
import {ScriptedServer} from './scripted-server.js';

let container: HTMLElement;
let app: App | undefined;

function mount(setup: () => () => ReturnType<typeof h>): void {
  app = createApp(defineComponent({setup}));
  app.mount(container);
}

const text = () => container.querySelector('output')?.textContent ?? '';

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  app?.unmount();
  app = undefined;
  container.remove();
});

function setup() {
  const server = new ScriptedServer();
  const options = {fetch: server.fetch, connectionBudget: new ConnectionBudget()};
  return {server, options};
}

describe('upload-progress/vue: useUploadProgress', () => {
  it('is a readonly ref: null, then live records; closes the stream on unmount', async () => {
    const {server, options} = setup();
    let progress!: ReturnType<typeof useUploadProgress>;
    mount(() => {
      progress = useUploadProgress('a', options);
      return () =>
        h(
          'output',
          progress.value
            ? `${progress.value.status} ${progress.value.progress_percentage}`
            : 'none',
        );
    });
    expect(text()).to.equal('none');
    await waitFor(() => server.open === 1, 'a connection');
    server.send('a', {uploaded_bytes: 400, progress_percentage: 40});
    await waitFor(() => text() === 'uploading 40', 'the first record');
    server.complete('a');
    await waitFor(() => text() === 'completed 100', 'the terminal record');

    expect(isReadonly(progress)).to.be.true;
    app!.unmount();
    app = undefined;
    expect(server.open).to.equal(0);
  });

  it('follows a ref id: the old stream closes, a new one opens; null closes it', async () => {
    const {server, options} = setup();
    const id = ref<string | null>('a');
    mount(() => {
      const progress = useUploadProgress(id, options);
      return () => h('output', progress.value?.upload_id ?? 'none');
    });
    await waitFor(() => server.open === 1);
    server.send('a');
    await waitFor(() => text() === 'a');

    id.value = 'b';
    await waitFor(() => server.requests('b') === 1, 'a connection for b');
    expect(server.signals.get('a')!.aborted).to.be.true;
    await nextTick();
    expect(text()).to.equal('none');
    server.send('b');
    await waitFor(() => text() === 'b');

    id.value = null;
    await waitFor(() => server.open === 0);
    expect(server.requested).to.deep.equal(['a', 'b']);
  });

  it('closes with an effectScope outside components', async () => {
    const {server, options} = setup();
    const scope = effectScope();
    const progress = scope.run(() => useUploadProgress(() => 'a', options))!;
    await waitFor(() => server.open === 1);
    server.send('a', {progress_percentage: 5});
    await waitFor(() => progress.value?.progress_percentage === 5);
    scope.stop();
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/vue: useMultiUploadProgress', () => {
  it("gives the seed's three fields as refs, and the whole snapshot", async () => {
    const {server, options} = setup();
    mount(() => {
      const {progressMap, overallPercentage, allCompleted, snapshot} = useMultiUploadProgress(
        ['a', 'b'],
        options,
      );
      return () =>
        h(
          'output',
          `${progressMap.value.size} ${Math.round(overallPercentage.value)} ${allCompleted.value} ${snapshot.value.total}`,
        );
    });
    await waitFor(() => server.open === 2);
    expect(text()).to.equal('0 0 false 2');
    server.send('a', {total_bytes: 1000, uploaded_bytes: 500});
    server.send('b', {total_bytes: 1000, uploaded_bytes: 0});
    await waitFor(() => text() === '2 25 false 2');
    server.complete('a');
    server.complete('b');
    await waitFor(() => text() === '2 100 true 2');
    expect(server.open).to.equal(0);
  });

  it('follows the id list by value, keeps the ids that stay, and closes all on unmount', async () => {
    const {server, options} = setup();
    const ids = ref<string[]>(['a', 'b']);
    let result!: ReturnType<typeof useMultiUploadProgress>;
    mount(() => {
      result = useMultiUploadProgress(ids, options);
      return () => h('output', [...result.snapshot.value.uploads.keys()].join(','));
    });
    await waitFor(() => server.open === 2);
    server.send('a', {uploaded_bytes: 100});

    ids.value = ['a', 'b']; // a new array, the same ids
    await nextTick();
    ids.value.push('c'); // and a change in place
    await waitFor(() => text() === 'a,b,c');
    await waitFor(() => server.open === 3);

    ids.value = ['a', 'c'];
    await waitFor(() => text() === 'a,c');
    expect(server.signals.get('b')!.aborted, 'b closed').to.be.true;
    expect(server.requests('a'), 'a kept its connection').to.equal(1);
    expect(result.progressMap.value.get('a')?.uploaded_bytes).to.equal(100);

    app!.unmount();
    app = undefined;
    expect(server.open).to.equal(0);
  });

  it('with a shared manager, tracks on it and leaves closing to its owner', async () => {
    const {server, options} = setup();
    const manager = new UploadProgressManager(options);
    const scope = effectScope();
    scope.run(() => useMultiUploadProgress(['a'], {manager}));
    await waitFor(() => server.open === 1);
    scope.stop();
    expect(server.open).to.equal(1);
    manager.closeAll();
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/vue: names and sizes, as manager.track() takes them', () => {
  it('useMultiUploadProgress and useUploadProgress take {upload_id, filename, total_bytes}', async () => {
    const {server, options} = setup();
    const uploads = ref([
      {upload_id: 'a', filename: 'report.pdf', total_bytes: 1000},
      {upload_id: 'b', filename: 'photo.jpg', total_bytes: 3000},
    ]);
    let result!: ReturnType<typeof useMultiUploadProgress>;
    let one!: ReturnType<typeof useUploadProgress>;
    mount(() => {
      result = useMultiUploadProgress(uploads, options);
      // Its own id: two streams of one id would leave the scripted server one body to drive.
      one = useUploadProgress(() => ({upload_id: 'solo', filename: 'solo.txt'}), options);
      return () =>
        h(
          'output',
          [...result.snapshot.value.uploads.values()]
            .map((entry) => `${entry.filename} ${entry.totalBytes}`)
            .join(', '),
        );
    });
    await waitFor(() => text() === 'report.pdf 1000, photo.jpg 3000');
    expect(result.progressMap.value.size, 'before any record').to.equal(0);
    await waitFor(() => server.open === 3);

    uploads.value = uploads.value.map((upload) => ({...upload})); // equal objects
    await nextTick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requested.length, 'nothing reconnected').to.equal(3);
    server.complete('solo');
    await waitFor(() => one.value?.status === 'completed');
  });
});

describe('upload-progress/vue: the elements', () => {
  it('take properties and report `close` through Vue (h with the tag name)', async () => {
    await import('upload-progress/components');
    const {server, options} = setup();
    const manager = new UploadProgressManager(options);
    const reasons: string[] = [];
    mount(
      () => () =>
        h('upload-progress-modal', {
          uploadIds: ['a'],
          manager,
          autoCloseDelay: -1,
          onClose: (event: CustomEvent<{reason: string}>) => reasons.push(event.detail.reason),
        }),
    );
    const modal = container.querySelector('upload-progress-modal')!;
    expect(modal.uploadIds).to.deep.equal(['a']);
    expect(modal.manager).to.equal(manager);
    await waitFor(() => modal.open, 'the modal to open');
    await waitFor(() => server.open === 1);
    modal.close();
    expect(reasons).to.deep.equal(['user']);
    manager.closeAll();
  });
});

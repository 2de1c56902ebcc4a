// The React adapter with real React (19) in Chromium, imported as a user does: through the
// package's exports (dist/), so the adapter and the test share one copy of the core.
import {expect} from '@esm-bundle/chai';
import {StrictMode, useState, type ReactNode} from 'react';
import {createRoot, type Root} from 'react-dom/client';
import {
  ConnectionBudget,
  UploadProgressManager,
  type UploadProgressSnapshot,
} from 'upload-progress';
import {
  UploadProgressModal,
  useMultiUploadProgress,
  useUploadProgress,
} from 'upload-progress/react';
import {waitFor} from '../helpers/sse.js';
import {ScriptedServer} from './scripted-server.js';

let container: HTMLElement;
let root: Root;

function render(node: ReactNode): void {
  root.render(node);
}

const text = (selector = 'output') => container.querySelector(selector)?.textContent ?? '';

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  root.unmount();
  container.remove();
});

function setup() {
  const server = new ScriptedServer();
  const options = {fetch: server.fetch, connectionBudget: new ConnectionBudget()};
  return {server, options};
}

describe('upload-progress/react: useUploadProgress', () => {
  it('is null until the first record, follows the stream, and closes it on unmount', async () => {
    const {server, options} = setup();
    function Row({id}: {id: string}) {
      const progress = useUploadProgress(id, options);
      return (
        <output>{progress ? `${progress.status} ${progress.progress_percentage}` : 'none'}</output>
      );
    }
    render(<Row id="a" />);
    await waitFor(() => text() === 'none', 'the first render');
    await waitFor(() => server.open === 1, 'a connection');
    server.send('a', {uploaded_bytes: 400, progress_percentage: 40});
    await waitFor(() => text() === 'uploading 40', 'the first record');
    server.send('a', {uploaded_bytes: 700, progress_percentage: 70});
    await waitFor(() => text() === 'uploading 70', 'a later record');

    root.unmount();
    expect(server.signals.get('a')!.aborted).to.be.true;
    expect(server.open).to.equal(0);
  });

  it('reconnects when the id changes, not when the component re-renders', async () => {
    const {server, options} = setup();
    let setId!: (id: string | null) => void;
    let rerender!: () => void;
    function Row() {
      const [id, set] = useState<string | null>('a');
      const [, tick] = useState(0);
      setId = set;
      rerender = () => tick((n) => n + 1);
      const progress = useUploadProgress(id, options);
      return (
        <output>
          {progress ? `${progress.upload_id} ${progress.progress_percentage}` : 'none'}
        </output>
      );
    }
    render(<Row />);
    await waitFor(() => server.open === 1);
    server.send('a', {progress_percentage: 10});
    await waitFor(() => text() === 'a 10');
    rerender();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests('a')).to.equal(1);

    setId('b');
    await waitFor(() => server.requests('b') === 1, 'a connection for b');
    expect(server.signals.get('a')!.aborted, 'the old stream closed').to.be.true;
    expect(text()).to.equal('none');
    server.send('b', {progress_percentage: 20});
    await waitFor(() => text() === 'b 20');

    setId(null);
    await waitFor(() => server.open === 0, 'no connection for a null id');
    expect(server.signals.get('b')!.aborted).to.be.true;
  });

  it('leaves exactly one connection open under StrictMode, and none after unmount', async () => {
    const {server, options} = setup();
    function Row() {
      const progress = useUploadProgress('a', options);
      return <output>{progress?.progress_percentage ?? 'none'}</output>;
    }
    render(
      <StrictMode>
        <Row />
      </StrictMode>,
    );
    await waitFor(() => server.bodies.has('a'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.open).to.equal(1);
    server.send('a', {progress_percentage: 55});
    await waitFor(() => text() === '55');
    root.unmount();
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/react: useMultiUploadProgress', () => {
  it("returns the seed's {progressMap, overallPercentage, allCompleted} and the rest of the snapshot", async () => {
    const {server, options} = setup();
    let result!: ReturnType<typeof useMultiUploadProgress>;
    function Uploads({ids}: {ids: string[]}) {
      result = useMultiUploadProgress(ids, options);
      const {progressMap, overallPercentage, allCompleted} = result;
      return (
        <output>
          {progressMap.size} {Math.round(overallPercentage)} {String(allCompleted)}
        </output>
      );
    }
    render(<Uploads ids={['a', 'b']} />);
    await waitFor(() => server.open === 2, 'two connections');
    expect(text()).to.equal('0 0 false');
    server.send('a', {total_bytes: 1000, uploaded_bytes: 500});
    server.send('b', {total_bytes: 1000, uploaded_bytes: 0});
    await waitFor(() => text() === '2 25 false', 'both rows');
    expect(result.total).to.equal(2);
    expect(result.uploading).to.equal(2);
    expect(result.manager).to.be.instanceOf(UploadProgressManager);

    server.complete('a');
    server.complete('b');
    await waitFor(() => text() === '2 100 true', 'all completed');
    expect(result.allSettled).to.be.true;
    expect(server.open).to.equal(0);
  });

  it('compares ids by value, untracks removed ones, and closes everything on unmount', async () => {
    const {server, options} = setup();
    let result!: ReturnType<typeof useMultiUploadProgress>;
    function Uploads({ids}: {ids: string[]}) {
      result = useMultiUploadProgress(ids, options);
      return <output>{[...result.uploads.keys()].join(',')}</output>;
    }
    render(<Uploads ids={['a', 'b']} />);
    await waitFor(() => server.open === 2);
    server.send('a', {uploaded_bytes: 100});

    render(<Uploads ids={['a', 'b']} />); // a new array, the same ids
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requested).to.deep.equal(['a', 'b']);

    render(<Uploads ids={['a', 'c']} />);
    await waitFor(() => text() === 'a,c', 'b gone, c in');
    await waitFor(() => server.open === 2);
    expect(server.signals.get('b')!.aborted, 'b closed').to.be.true;
    expect(server.signals.get('a')!.aborted, 'a kept').to.be.false;
    expect(server.requests('a')).to.equal(1);
    expect(result.progressMap.get('a')?.uploaded_bytes, 'a kept its state').to.equal(100);

    root.unmount();
    expect(server.open).to.equal(0);
  });

  it('leaves one connection per upload under StrictMode', async () => {
    const {server, options} = setup();
    function Uploads() {
      const {overallPercentage} = useMultiUploadProgress(['a', 'b'], options);
      return <output>{Math.round(overallPercentage)}</output>;
    }
    render(
      <StrictMode>
        <Uploads />
      </StrictMode>,
    );
    await waitFor(() => server.bodies.has('a') && server.bodies.has('b'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.open).to.equal(2);
    server.send('a', {total_bytes: 1000, uploaded_bytes: 1000});
    server.send('b', {total_bytes: 1000, uploaded_bytes: 0});
    await waitFor(() => text() === '50');
    root.unmount();
    expect(server.open).to.equal(0);
  });

  it('with a shared manager, tracks on it and leaves closing to its owner', async () => {
    const {server, options} = setup();
    const manager = new UploadProgressManager(options);
    function Uploads() {
      const {total} = useMultiUploadProgress(['a'], {manager});
      return <output>{total}</output>;
    }
    render(<Uploads />);
    await waitFor(() => text() === '1');
    await waitFor(() => server.open === 1);
    root.unmount();
    expect(manager.getSnapshot().total).to.equal(1);
    expect(server.open).to.equal(1);
    manager.closeAll();
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/react: names and sizes, as manager.track() takes them', () => {
  const named = [
    {upload_id: 'a', filename: 'report.pdf', total_bytes: 1000},
    {upload_id: 'b', filename: 'photo.jpg', total_bytes: 3000},
  ];
  const names = (snapshot: UploadProgressSnapshot) =>
    [...snapshot.uploads.values()].map((entry) => `${entry.filename} ${entry.totalBytes}`);

  it('useMultiUploadProgress: rows know the names and sizes before the first record; equal objects reconnect nothing', async () => {
    const {server, options} = setup();
    let result!: ReturnType<typeof useMultiUploadProgress>;
    function Uploads({uploads}: {uploads: typeof named}) {
      result = useMultiUploadProgress(uploads, options);
      return <output>{result.progressMap.size}</output>;
    }
    render(<Uploads uploads={named} />);
    await waitFor(() => server.open === 2);
    expect(text()).to.equal('0');
    expect(names(result)).to.deep.equal(['report.pdf 1000', 'photo.jpg 3000']);
    render(<Uploads uploads={named.map((upload) => ({...upload}))} />);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests('a') + server.requests('b')).to.equal(2);
  });

  it('useUploadProgress: an object is followed by its id', async () => {
    const {server, options} = setup();
    function Row() {
      const progress = useUploadProgress(named[0]!, options);
      return <output>{progress?.status ?? 'none'}</output>;
    }
    render(<Row />);
    await waitFor(() => server.open === 1);
    expect(server.requested).to.deep.equal(['a']);
    server.complete('a');
    await waitFor(() => text() === 'completed');
  });

  it('<UploadProgressModal uploadIds> given objects: the modal shows their names before any record', async () => {
    const {server, options} = setup();
    const manager = new UploadProgressManager(options);
    render(<UploadProgressModal uploadIds={named} manager={manager} />);
    const modal = await waitFor(() => container.querySelector('upload-progress-modal'));
    await waitFor(() => modal.open);
    expect(modal.uploadIds).to.deep.equal(['a', 'b']);
    expect(names(manager.getSnapshot())).to.deep.equal(['report.pdf 1000', 'photo.jpg 3000']);
    const rows = () =>
      modal.shadowRoot?.querySelector('upload-progress-list')?.shadowRoot?.textContent ?? '';
    await waitFor(() => rows().includes('report.pdf') && rows().includes('photo.jpg'));
    expect(manager.getSnapshot().progressMap.size, 'no record yet').to.equal(0);
    expect(server.open).to.equal(2);
    manager.closeAll();
  });
});

describe('upload-progress/react: UploadProgressModal', () => {
  it('sets the properties, opens, reports the close reason, and is silent on unmount', async () => {
    const {server, options} = setup();
    const manager = new UploadProgressManager(options);
    const reasons: string[] = [];
    let setIds!: (ids: string[] | null) => void;
    let rerender!: () => void;
    function Page() {
      const [ids, set] = useState<string[] | null>(['a']);
      const [, tick] = useState(0);
      setIds = set;
      rerender = () => tick((n) => n + 1);
      return (
        <UploadProgressModal
          uploadIds={ids ? [...ids] : null}
          manager={manager}
          autoCloseDelay={-1}
          strings={{close: 'Schließen'}}
          onClose={(reason) => reasons.push(reason)}
          className="uploads"
        />
      );
    }
    render(<Page />);
    const modal = await waitFor(() => container.querySelector('upload-progress-modal'));
    await waitFor(() => modal.open, 'the modal to open');
    expect(modal.uploadIds).to.deep.equal(['a']);
    expect(modal.manager).to.equal(manager);
    expect(modal.autoCloseDelay).to.equal(-1);
    expect(modal.className).to.equal('uploads');
    await waitFor(() => server.open === 1, 'the modal tracked the id on the given manager');
    const close = await waitFor(() =>
      modal.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]'),
    );
    expect(close.getAttribute('aria-label')).to.equal('Schließen');

    close.click();
    await waitFor(() => reasons.length === 1, 'onClose');
    expect(reasons).to.deep.equal(['user']);
    expect(modal.open).to.be.false;

    rerender(); // a new array with the same ids must not open it again
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(modal.open).to.be.false;

    setIds(['a', 'b']);
    await waitFor(() => modal.open, 'a new list opens it again');
    root.unmount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reasons, 'no onClose on unmount').to.deep.equal(['user']);
    manager.closeAll();
  });

  it("works as the seed's modal: mounted with ids, onClose clears them and unmounts it", async () => {
    const {options} = setup();
    const manager = new UploadProgressManager(options);
    const reasons: string[] = [];
    function FileManager() {
      const [uploadIds, setUploadIds] = useState<string[] | null>(['a']);
      return (
        <main>
          {uploadIds && (
            <UploadProgressModal
              uploadIds={uploadIds}
              manager={manager}
              onClose={(reason) => {
                reasons.push(reason);
                setUploadIds(null);
              }}
            />
          )}
        </main>
      );
    }
    render(<FileManager />);
    const modal = await waitFor(() => container.querySelector('upload-progress-modal'));
    await waitFor(() => modal.open);
    modal.close();
    await waitFor(() => !container.querySelector('upload-progress-modal'), 'the modal unmounted');
    expect(reasons).to.deep.equal(['user']);
    manager.closeAll();
  });

  it('types the elements for JSX; React 19 sets their properties and listens to onclose', async () => {
    const manager = new UploadProgressManager(setup().options);
    const reasons: string[] = [];
    render(
      <>
        <upload-progress-bar value={42} label="Backup.zip" />
        <upload-progress-modal
          uploadIds={['a']}
          manager={manager}
          onclose={(event) => reasons.push(event.detail.reason)}
        />
      </>,
    );
    const bar = await waitFor(() => container.querySelector('upload-progress-bar'));
    expect(bar.value).to.equal(42);
    expect(bar.label).to.equal('Backup.zip');
    const modal = container.querySelector('upload-progress-modal')!;
    expect(modal.manager).to.equal(manager);
    await waitFor(() => modal.open, 'the modal to open');
    modal.close();
    expect(reasons).to.deep.equal(['user']);
    manager.closeAll();
  });
});

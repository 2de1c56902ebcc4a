import {expect} from '@esm-bundle/chai';
import {persistUploads, resumeUploads, uploadFiles, type UploadStorage} from '../src/index.js';
import {FakeXhrs} from './helpers/fake-xhr.js';
import {scriptedManager} from './helpers/scripted-manager.js';
import {settle, waitFor} from './helpers/sse.js';

// Remembering uploads in flight across a reload (persist / resumeUploads), with a storage
// the test reads, a scripted XMLHttpRequest and scripted progress streams.

class MemoryStorage implements UploadStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  /** The records under `key`, without their `ref` (which page stored them). */
  read(key = 'upload-progress'): unknown {
    const records = JSON.parse(this.items.get(key) ?? 'null') as {ref: string}[] | null;
    return records?.map(({ref, ...rest}) => {
      expect(ref).to.be.a('string');
      return rest;
    });
  }
}

function setup() {
  const {manager, bodies, send} = scriptedManager();
  return {manager, bodies, send, storage: new MemoryStorage(), xhrs: new FakeXhrs()};
}

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('persisting uploads across a reload', () => {
  it('remembers files from the first byte, their ids once known, and forgets them once done', async () => {
    const {manager, bodies, send, storage, xhrs} = setup();
    const task = uploadFiles([file('a.txt', 10), file('b.txt', 20)], {
      manager,
      createXhr: xhrs.create,
      persist: {storage},
    });
    expect(storage.read()).to.deep.equal([
      {upload_id: null, filename: 'a.txt', total_bytes: 10},
      {upload_id: null, filename: 'b.txt', total_bytes: 20},
    ]);
    await waitFor(() => xhrs.active().length === 1);
    xhrs.active()[0]!.respond(200, {upload_ids: ['id-a', 'id-b']});
    await task;
    await waitFor(() => (storage.read() as {upload_id: string}[])[0]?.upload_id === 'id-a');
    expect(storage.read()).to.deep.equal([
      {upload_id: 'id-a', filename: 'a.txt', total_bytes: 10},
      {upload_id: 'id-b', filename: 'b.txt', total_bytes: 20},
    ]);
    await waitFor(() => bodies.has('id-a') && bodies.has('id-b'));
    send('id-a', {status: 'completed', total_bytes: 10});
    await waitFor(() => (storage.read() as unknown[]).length === 1);
    send('id-b', {status: 'failed', total_bytes: 20, error: 'bad'});
    await waitFor(() => storage.items.size === 0, 'the key removed');
  });

  it('forgets files that were cancelled or refused: there is nothing to resume', async () => {
    const {manager, storage, xhrs} = setup();
    const controller = new AbortController();
    const task = uploadFiles([file('a.txt', 10)], {
      manager,
      createXhr: xhrs.create,
      persist: {storage, key: 'k'},
      signal: controller.signal,
    });
    expect(storage.read('k')).to.have.length(1);
    controller.abort();
    await task.catch(() => undefined);
    await settle(1);
    expect(storage.items.has('k')).to.equal(false);
  });

  it('two uploads share one key without losing each other', async () => {
    const {manager, storage, xhrs} = setup();
    const one = uploadFiles([file('one.txt', 1)], {
      manager,
      createXhr: xhrs.create,
      persist: {storage},
    });
    const two = uploadFiles([file('two.txt', 2)], {
      manager,
      createXhr: xhrs.create,
      persist: {storage},
    });
    await waitFor(() => xhrs.active().length === 2);
    xhrs.all[1]!.respond(200, {upload_ids: ['id-two']});
    await two;
    await waitFor(() => JSON.stringify(storage.read()).includes('id-two'));
    expect(storage.read()).to.deep.equal([
      {upload_id: null, filename: 'one.txt', total_bytes: 1},
      {upload_id: 'id-two', filename: 'two.txt', total_bytes: 2},
    ]);
    xhrs.all[0]!.respond(200, {upload_ids: ['id-one']});
    await one;
    manager.closeAll();
    await settle(1);
    expect(storage.items.size).to.equal(0);
  });

  it('resumeUploads: ids follow on from the processing half; a cut transfer says to upload again', async () => {
    const {manager, bodies, send, storage} = setup();
    storage.setItem(
      'upload-progress',
      JSON.stringify([
        {ref: 'old-1', upload_id: 'srv-1', filename: 'report.pdf', total_bytes: 1000},
        {ref: 'old-2', upload_id: null, filename: 'video.mp4', total_bytes: 5000},
        {nonsense: true},
      ]),
    );
    const keys = resumeUploads({manager, storage});
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal('srv-1');
    const s = manager.getSnapshot();
    expect(s.uploads.get('srv-1')).to.deep.include({
      filename: 'report.pdf',
      totalBytes: 1000,
      phase: 'processing',
      percentage: 50,
    });
    expect(s.uploads.get(keys[1]!)!.progress).to.deep.include({
      status: 'failed',
      filename: 'video.mp4',
    });
    expect(s.uploads.get(keys[1]!)!.progress!.error).to.match(/reloaded.*Upload it again/);
    // Still remembered until it ends; the cut one is not remembered again.
    expect(storage.read()).to.deep.equal([
      {upload_id: 'srv-1', filename: 'report.pdf', total_bytes: 1000},
    ]);
    await waitFor(() => bodies.has('srv-1'));
    send('srv-1', {status: 'completed', total_bytes: 1000});
    await waitFor(() => storage.items.size === 0);
  });

  it('nothing stored, garbage stored, or a storage that throws: nothing happens, nothing fails', () => {
    const {manager, storage} = setup();
    expect(resumeUploads({manager, storage})).to.deep.equal([]);
    storage.setItem('upload-progress', '{not json');
    expect(resumeUploads({manager, storage})).to.deep.equal([]);
    const refusing: UploadStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(resumeUploads({manager, storage: refusing})).to.deep.equal([]);
    const [handle] = manager.trackTransfers([{filename: 'a', total_bytes: 1}]);
    expect(() => persistUploads([handle!.key], {manager, storage: refusing})).to.not.throw();
    expect(manager.getSnapshot().total).to.equal(1);
  });
});

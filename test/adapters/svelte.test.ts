// The Svelte 5 recipe of docs/frameworks.md (test/consumers/app/svelte/Uploads.svelte, the
// same text), compiled by Svelte and run against the mock backend through the package's
// exports: names before the first record, and a second batch that starts from 0 %.
import {expect} from '@esm-bundle/chai';
import {flushSync, mount, unmount} from 'svelte';
import type {TrackedUpload, UploadProgressManager} from 'upload-progress';
import Harness from './svelte-harness.svelte';
import {waitFor} from '../helpers/sse.js';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

/** The seed's upload; returns what the page knows of each file: id, name, size. */
async function send(files: File[]): Promise<TrackedUpload[]> {
  const form = new FormData();
  for (const one of files) form.append('files', one);
  form.append('path', 'tests');
  form.append('mock', JSON.stringify({stepMs: 20, steps: 4}));
  const response = await fetch('/api/files/upload', {method: 'POST', body: form});
  const {upload_ids} = (await response.json()) as {upload_ids: string[]};
  return upload_ids.map((upload_id, i) => ({
    upload_id,
    filename: files[i]!.name,
    total_bytes: files[i]!.size,
  }));
}

describe('Svelte 5: the recipe in docs/frameworks.md', () => {
  let target: HTMLElement;
  let component: {show(uploads: TrackedUpload[]): void} | undefined;

  beforeEach(() => {
    target = document.createElement('div');
    document.body.append(target);
  });
  afterEach(() => {
    if (component) unmount(component);
    component = undefined;
    target.remove();
  });

  it('shows the batch with its names, and a second batch replaces the first from 0 %', async () => {
    component = mount(Harness, {target}) as unknown as {show(uploads: TrackedUpload[]): void};
    const modal = target.querySelector('upload-progress-modal')!;
    const manager = () => modal.manager as UploadProgressManager;
    const text = () => target.querySelector('p')!.textContent;

    const first = await send([file('first-a.txt', 3000), file('first-b.txt', 1000)]);
    component.show(first);
    flushSync();
    expect(
      [...manager().getSnapshot().uploads.values()].map((entry) => entry.filename),
    ).to.deep.equal(['first-a.txt', 'first-b.txt']);
    await waitFor(() => text() === 'Done', 'the first batch completes', 8000);

    const second = await send([file('second.txt', 2000)]);
    component.show(second);
    flushSync();
    const snapshot = manager().getSnapshot();
    expect(snapshot.total, 'the first batch is untracked').to.equal(1);
    expect([...snapshot.uploads.values()][0]!.filename).to.equal('second.txt');
    expect(snapshot.overallPercentage, 'starts from 0, not from the first batch').to.equal(0);
    await waitFor(() => text() === 'Done', 'the second batch completes', 8000);
  });
});

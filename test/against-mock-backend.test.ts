import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, UploadProgressManager} from '../src/index.js';
import {waitFor} from './helpers/sse.js';

// The core against the mock backend: a real HTTP server on 127.0.0.1 speaking the seed's
// protocol, reached same-origin through the test server's /api/ proxy.

async function upload(files: File[], mock: object = {}): Promise<string[]> {
  const form = new FormData();
  for (const file of files) form.append('files', file);
  form.append('path', 'tests');
  form.append('mock', JSON.stringify({stepMs: 20, steps: 5, ...mock}));
  const response = await fetch('/api/files/upload', {method: 'POST', body: form});
  expect(response.status).to.equal(200);
  const body = (await response.json()) as {upload_ids: string[]; uploaded: number};
  expect(body.uploaded).to.equal(files.length);
  return body.upload_ids;
}

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

function manager() {
  return new UploadProgressManager({connectionBudget: new ConnectionBudget(), random: () => 0});
}

describe('the core against the mock backend', () => {
  it("the seed's flow: upload, track the ids, every upload reaches its true final state", async () => {
    const ids = await upload([file('a.txt', 3000), file('b.bin', 1000), file('bad.csv', 2000)], {
      fail: ['bad.csv'],
      failMessage: 'Processing failed: corrupted file',
    });
    const m = manager();
    m.track(ids);
    const s = await waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'settled', 8000);
    expect(s.completed).to.equal(2);
    expect(s.failed).to.equal(1);
    expect(s.progressMap.get(ids[0]!)).to.deep.include({
      filename: 'a.txt',
      total_bytes: 3000,
      status: 'completed',
    });
    expect(s.progressMap.get(ids[2]!)!.error).to.equal('Processing failed: corrupted file');
    expect(s.overallPercentage).to.be.below(100);
  });

  it('CRLF, heartbeats, ids, retry:, cut connections and refused attempts: nothing lost', async () => {
    const ids = await upload([file('x.txt', 500), file('y.txt', 800)], {
      crlf: true,
      heartbeatMs: 10,
      ids: true,
      retryMs: 30,
      cutAfterMs: 45,
      statusOnAttempt: {'2': 503, '3': 429},
      retryAfter: null,
    });
    const m = new UploadProgressManager({
      connectionBudget: new ConnectionBudget(),
      random: () => 0,
      // The server's retry: 30 is honoured only down to the page's own initialDelay.
      retry: {maxAttempts: 20, initialDelay: 30},
    });
    m.track(ids);
    const s = await waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'settled', 10000);
    expect(s.completed).to.equal(2);
    expect(s.overallPercentage).to.equal(100);
  });

  it('a late subscriber sees a finished upload; an unknown id ends failed quickly', async () => {
    const [id] = await upload([file('done.txt', 100)]);
    const first = manager();
    first.track([id!]);
    await waitFor(() => first.getSnapshot().allCompleted, 'first completes', 8000);
    const late = manager();
    late.track([id!, 'no-such-upload']);
    const s = await waitFor(
      () => late.getSnapshot().allSettled && late.getSnapshot(),
      'late settles',
    );
    expect(s.progressMap.get(id!)!.status).to.equal('completed');
    expect(s.progressMap.get('no-such-upload')!.error).to.match(/404.*Upload not found/);
  });
});

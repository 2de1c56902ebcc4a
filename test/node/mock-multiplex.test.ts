// The mock backend's optional endpoint for many uploads in one stream
// (test/mock-server/multiplex.mjs), read raw, as a server implementer would check theirs.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';

interface Block {
  event: string;
  id: string | undefined;
  data: {upload_id: string; status?: string; detail?: string};
}

function blocks(text: string): Block[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const line = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return {event: line('event') ?? 'message', id: line('id'), data: JSON.parse(line('data')!)};
    });
}

async function uploadFiles(server: MockServer, names: string[], mock: object): Promise<string[]> {
  const form = new FormData();
  for (const name of names) form.append('files', new File(['x'.repeat(100)], name));
  form.append('path', 'm');
  form.append('mock', JSON.stringify(mock));
  const response = await fetch(`${server.url}/api/files/upload`, {method: 'POST', body: form});
  return ((await response.json()) as {upload_ids: string[]}).upload_ids;
}

const list = (ids: string[]) => ids.map(encodeURIComponent).join(',');

describe('mock backend: many uploads in one stream', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({stepMs: 15, steps: 4});
  });
  after(() => server.close());

  test('is off by default (404, as the seed), on per server or per request', async () => {
    const [id] = await uploadFiles(server, ['a.txt'], {});
    const off = await fetch(`${server.url}/api/files/progress?ids=${id}`);
    assert.equal(off.status, 404);
    await off.body?.cancel();
    const on = await fetch(`${server.url}/api/files/progress?multiplex=1&ids=${id}`);
    assert.equal(on.status, 200);
    assert.match(on.headers.get('content-type') ?? '', /^text\/event-stream/);
    await on.text();
    server.configure({multiplex: true});
    const configured = await fetch(`${server.url}/api/files/progress?ids=${id}`);
    assert.equal(configured.status, 200);
    await configured.text();
    server.configure({multiplex: false});
    assert.equal(server.stats().requests.multiplex, 3);
  });

  test('routes every record by upload_id, says which ids it does not know, ends when all are done', async () => {
    const ids = await uploadFiles(server, ['ok.txt', 'bad.txt'], {
      fail: ['bad.txt'],
      idPrefix: 'x,y/',
    });
    const url = `${server.url}/api/files/progress?multiplex=1&ids=${list([...ids, 'nope'])}`;
    const all = blocks(await (await fetch(url)).text());
    const missing = all.filter((b) => b.event === 'missing');
    assert.deepEqual(
      missing.map((b) => b.data),
      [{upload_id: 'nope', detail: 'Upload not found'}],
    );
    const last = (id: string) => all.filter((b) => b.data.upload_id === id).at(-1)!.data.status;
    assert.equal(last(ids[0]!), 'completed');
    assert.equal(last(ids[1]!), 'failed');
    const seqs = all.filter((b) => b.id !== undefined).map((b) => Number(b.id));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'ids only grow',
    );
  });

  test('Last-Event-ID: only what changed since, and always the terminal record', async () => {
    const ids = await uploadFiles(server, ['slow.txt', 'done.txt'], {stepMs: 40, steps: 6});
    const url = `${server.url}/api/files/progress?multiplex=1&ids=${list(ids)}`;
    const first = await fetch(url);
    const reader = first.body!.getReader();
    let text = '';
    while (blocks(text).length < 3) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const seen = blocks(text);
    const lastId = Number(seen.filter((b) => b.id).at(-1)!.id);
    const resumed = blocks(
      await (await fetch(url, {headers: {'Last-Event-ID': String(lastId)}})).text(),
    );
    const upTo = (id: string) => resumed.filter((b) => b.data.upload_id === id);
    for (const block of resumed) {
      const terminal = block.data.status === 'completed' || block.data.status === 'failed';
      assert.ok(terminal || Number(block.id) > lastId, `no change older than ${lastId} again`);
    }
    for (const id of ids) assert.equal(upTo(id).at(-1)?.data.status, 'completed');
  });
});

// A page's fetch, or a wrapper around it, that answers oddly: every attempt still ends (its
// connection slot back, the stream retrying or failed), nothing rejects unhandled, and the
// request's headers are a `Headers` a wrapper can add to.
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import {ConnectionBudget, UploadProgressStream, type UploadProgress} from '../../src/index.js';
import {FakeClock} from '../helpers/fake-clock.js';

const ORIGIN = 'http://x.test';
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
before(() => process.on('unhandledRejection', onUnhandled));
after(() => process.off('unhandledRejection', onUnhandled));

/** A few tasks: promise chains and the fetch answer settle; no fake time passes. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

const record = (status: UploadProgress['status']): string =>
  JSON.stringify({
    upload_id: 'u1',
    filename: 'a.bin',
    total_bytes: 10,
    uploaded_bytes: status === 'completed' ? 10 : 5,
    status,
    progress_percentage: status === 'completed' ? 100 : 50,
  });

const eventStream = (body: BodyInit): Response =>
  new Response(body, {headers: {'content-type': 'text/event-stream'}});

function follow(fetchFn: unknown, extra: Record<string, unknown> = {}) {
  const budget = new ConnectionBudget();
  const stream = new UploadProgressStream('u1', {
    progressUrl: `${ORIGIN}/p/{upload_id}`,
    fetch: fetchFn as typeof fetch,
    clock: new FakeClock(),
    connectionBudget: budget,
    ...extra,
  });
  return {stream, budget};
}

/**
 * After the odd answer: the stream in `state`, its connection slot back, nothing rejected
 * unhandled (then closed).
 */
async function endedAs(
  {stream, budget}: ReturnType<typeof follow>,
  state: UploadProgressStream['state'],
): Promise<void> {
  await settle();
  assert.equal(stream.state, state);
  assert.equal(budget.active(ORIGIN), 0);
  assert.deepEqual(unhandled, []);
  stream.close();
}

describe('a fetch that answers oddly', () => {
  beforeEach(() => {
    unhandled.length = 0;
  });

  it('a wrapper that read the body of a 401 itself: the upload fails unauthorized, its slot back', async () => {
    const followed = follow(async () => {
      const response = new Response(JSON.stringify({detail: 'token expired'}), {
        status: 401,
        headers: {'content-type': 'application/json'},
      });
      await response.json(); // a wrapper that logs or refreshes on 401
      return response;
    });
    await endedAs(followed, 'closed');
    assert.equal(followed.stream.getSnapshot()?.status, 'failed');
    assert.equal(followed.stream.error?.kind, 'unauthorized');
  });

  it('a body that yields strings, not bytes: the attempt ends and the stream retries, even with no timeouts', async () => {
    const followed = follow(
      async () =>
        eventStream(
          new ReadableStream({
            start(controller) {
              controller.enqueue(`event: progress\ndata: ${record('uploading')}\n\n` as never);
            },
          }),
        ),
      {idleTimeout: 0, connectTimeout: 0},
    );
    await endedAs(followed, 'retrying');
  });

  it('a fetch that resolves to nothing: the attempt ends and the stream retries, even with no timeouts', async () => {
    await endedAs(
      follow(async () => undefined, {idleTimeout: 0, connectTimeout: 0}),
      'retrying',
    );
  });

  it("gives every attempt a Headers, the first one too: a wrapper's init.headers.set() works", async () => {
    const kinds: string[] = [];
    const {stream} = follow(async (_url: string, init: RequestInit) => {
      kinds.push(init.headers instanceof Headers ? 'Headers' : typeof init.headers);
      (init.headers as Headers).set('authorization', 'Bearer t');
      return eventStream(`event: progress\ndata: ${record('completed')}\n\n`);
    });
    await settle();
    assert.deepEqual(kinds, ['Headers']);
    assert.equal(stream.getSnapshot()?.status, 'completed');
    stream.close();
  });
});

import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, getSharedConnectionBudget, type ConnectionTicket} from '../src/index.js';
import {originOf} from '../src/budget/connection-budget.js';
import {defaultMaxConnections} from '../src/budget/default-connections.js';
import {settle, waitFor} from './helpers/sse.js';

describe('ConnectionBudget', () => {
  it('grants up to the limit per origin, then queues first come, first served', () => {
    const budget = new ConnectionBudget();
    const order: string[] = [];
    const t = ['a', 'b', 'c', 'd'].map((name) =>
      budget.request('https://x', 2, () => order.push(name)),
    );
    expect(order).to.deep.equal(['a', 'b']);
    expect(t.map((ticket) => ticket.granted)).to.deep.equal([true, true, false, false]);
    expect(budget.active('https://x')).to.equal(2);
    expect(budget.queued('https://x')).to.equal(2);
    t[0]!.release();
    t[0]!.release(); // idempotent
    expect(order).to.deep.equal(['a', 'b', 'c']);
    expect(t.map((ticket) => ticket.granted)).to.deep.equal([false, true, true, false]);
    t[3]!.release(); // leaves the queue
    t[1]!.release();
    expect(order).to.deep.equal(['a', 'b', 'c']);
    expect(budget.active('https://x')).to.equal(1);
    expect(budget.queued('https://x')).to.equal(0);
  });

  it('counts origins apart', () => {
    const budget = new ConnectionBudget();
    let granted = 0;
    budget.request('https://x', 1, () => granted++);
    budget.request('https://y', 1, () => granted++);
    budget.request('https://x', 1, () => granted++);
    expect(granted).to.equal(2);
  });

  it('a waiter with a higher limit is not held back by one with a lower limit ahead of it', () => {
    const budget = new ConnectionBudget();
    const order: string[] = [];
    budget.request('o', 2, () => order.push('a'));
    budget.request('o', 2, () => order.push('b'));
    budget.request('o', 2, () => order.push('c'));
    budget.request('o', 3, () => order.push('wide'));
    expect(order).to.deep.equal(['a', 'b', 'wide']);
  });

  it('a grant callback that releases at once does not corrupt the count', () => {
    const budget = new ConnectionBudget();
    const first = budget.request('o', 1, () => undefined);
    let granted = 0;
    const second = budget.request('o', 1, () => {
      granted++;
      second.release();
    });
    first.release();
    expect(granted).to.equal(1);
    expect(budget.active('o')).to.equal(0);
  });

  it('the shared budget is one per page (kept on globalThis)', () => {
    expect(getSharedConnectionBudget()).to.equal(getSharedConnectionBudget());
    expect(
      (globalThis as Record<symbol, unknown>)[Symbol.for('upload-progress.connection-budget')],
    ).to.equal(getSharedConnectionBudget());
  });
});

describe('originOf', () => {
  it('counts a path against the page, and what the URL parser reads as another host against that host', () => {
    expect(originOf('/api/files/progress/a')).to.equal(location.origin);
    expect(originOf('progress/a')).to.equal(location.origin);
    expect(originOf('https://progress.example:8443/p/a')).to.equal('https://progress.example:8443');
    // A path's fast lane must not take these: the parser reads a host in each.
    expect(originOf('//evil.example/p/a')).to.equal(`${location.protocol}//evil.example`);
    expect(originOf('/\\evil.example/p/a')).to.equal(`${location.protocol}//evil.example`);
    expect(originOf('/\t/evil.example/p/a')).to.equal(`${location.protocol}//evil.example`);
    expect(originOf('/\n/evil.example/p/a')).to.equal(`${location.protocol}//evil.example`);
    expect(originOf('http://[bad')).to.equal('null');
  });
});

describe('ConnectionBudget shared through Web Locks (as tabs of one profile share it)', () => {
  // Two budgets on one page stand for two tabs: they share the origin's lock manager, as
  // every tab of the profile does. A made-up origin keeps other test files' slots apart.
  let origin = '';
  beforeEach(() => {
    origin = `https://tabs-${Math.random().toString(36).slice(2)}.example`;
  });
  const held = async () =>
    ((await navigator.locks.query()).held ?? []).filter((lock) =>
      lock.name?.startsWith(`upload-progress:${origin}:slot-`),
    ).length;

  it('never holds more than the limit across tabs, and serves the tabs in turn', async () => {
    const one = new ConnectionBudget(navigator.locks);
    const two = new ConnectionBudget(navigator.locks);
    const order: string[] = [];
    const tickets = new Map<string, ConnectionTicket>();
    for (const name of ['a1', 'a2', 'a3']) {
      tickets.set(
        name,
        one.request(origin, 2, () => order.push(name)),
      );
    }
    for (const name of ['b1', 'b2', 'b3']) {
      tickets.set(
        name,
        two.request(origin, 2, () => order.push(name)),
      );
    }
    expect(tickets.get('a1')!.granted).to.equal(false); // never synchronous with locks
    await waitFor(() => order.length === 2, 'two grants');
    await settle();
    expect(order).to.deep.equal(['a1', 'b1']);
    expect(await held()).to.equal(2);
    expect(one.queued(origin) + two.queued(origin)).to.equal(4);
    for (let n = 2; n < 6; n++) {
      tickets.get(order[n - 2]!)!.release();
      await waitFor(() => order.length === n + 1, `grant ${n + 1}`);
      await settle();
      expect(one.active(origin) + two.active(origin)).to.equal(2);
    }
    // The tab that asked last was not starved behind the first one's queue.
    expect(order).to.deep.equal(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
    for (const ticket of tickets.values()) ticket.release();
    await waitFor(async () => (await held()) === 0, 'locks released');
  });

  it('leaving the queue before a grant gives nothing away', async () => {
    const one = new ConnectionBudget(navigator.locks);
    const first = one.request(origin, 1, () => undefined);
    await waitFor(() => first.granted, 'first granted');
    let late = 0;
    const left = one.request(origin, 1, () => late++);
    left.release();
    first.release();
    const next = one.request(origin, 1, () => undefined);
    await waitFor(() => next.granted, 'next granted');
    await settle();
    expect(late).to.equal(0);
    expect(one.active(origin)).to.equal(1);
    next.release();
    expect(one.active(origin)).to.equal(0);
  });

  it('the shared budget of a browser page uses Web Locks', async () => {
    const budget = getSharedConnectionBudget();
    const ticket = budget.request(origin, 1, () => undefined);
    await waitFor(() => ticket.granted, 'granted');
    const names = ((await navigator.locks.query()).held ?? []).map((lock) => lock.name);
    expect(names).to.include(`upload-progress:${origin}:slot-0`);
    ticket.release();
  });
});

describe('the protocol-aware default', () => {
  const scope = (protocol: string) => ({
    location: {origin: 'https://app.example'},
    performance: {getEntriesByType: () => [{nextHopProtocol: protocol}]},
  });

  it('is 16 for the page’s own origin over HTTP/2 or HTTP/3, else 4', () => {
    expect(defaultMaxConnections('https://app.example', scope('h2'))).to.equal(16);
    expect(defaultMaxConnections('https://app.example', scope('h3'))).to.equal(16);
    expect(defaultMaxConnections('https://app.example', scope('http/1.1'))).to.equal(4);
    expect(defaultMaxConnections('https://api.example', scope('h2'))).to.equal(4);
    expect(defaultMaxConnections('https://app.example', {})).to.equal(4);
  });

  it('applies when no maxConnections is given (this test server speaks HTTP/1.1)', () => {
    const budget = new ConnectionBudget();
    let granted = 0;
    for (let i = 0; i < 6; i++) budget.request(location.origin, undefined, () => granted++);
    expect(granted).to.equal(defaultMaxConnections(location.origin));
    expect(granted).to.equal(4);
  });
});

import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, getSharedConnectionBudget} from '../src/index.js';

describe('ConnectionBudget', () => {
  it('grants up to the limit per origin, then queues first come, first served', () => {
    const budget = new ConnectionBudget();
    const order: string[] = [];
    const t = ['a', 'b', 'c', 'd'].map((name) =>
      budget.request('https://x', 2, () => order.push(name)),
    );
    expect(order).to.deep.equal(['a', 'b']);
    expect(budget.active('https://x')).to.equal(2);
    expect(budget.queued('https://x')).to.equal(2);
    t[0]!.release();
    t[0]!.release(); // idempotent
    expect(order).to.deep.equal(['a', 'b', 'c']);
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

// The elements' base class (components/shared/base-element.ts) on its own, through small
// elements made here: what the three elements rely on of it.
import {expect} from '@esm-bundle/chai';
import {html} from 'lit-html';
import {
  BaseElement,
  css,
  type PropertyValues,
  type ReactiveController,
  type Styles,
} from '../../components/shared/base-element.js';
import {uploadIdsConverter} from '../../components/shared/manager-controller.js';

class TestElement extends BaseElement {
  static override properties = {
    ids: {attribute: 'upload-ids', converter: uploadIdsConverter},
    count: {type: Number},
    open: {type: Boolean, reflect: true},
    mode: {reflect: true},
    label: {},
    hidden2: {attribute: false},
  };

  static override styles: Styles = [
    css`
      :host {
        display: block;
      }
    `,
    css`
      p {
        margin-top: 7px;
      }
    `,
  ];

  ids: string[] | null = null;
  count = 0;
  open = false;
  mode = 'all';
  label = '';
  hidden2 = 0;
  renders = 0;
  fail = false;
  changes: PropertyValues[] = [];
  /** What `updated()` saw of the shadow root. */
  seen: string[] = [];

  protected override willUpdate(changed: PropertyValues): void {
    this.changes.push(new Map(changed));
  }

  override render() {
    this.renders++;
    if (this.fail) throw new Error('render failed');
    return html`<p>${this.label} ${this.count}</p>`;
  }

  protected override updated(): void {
    this.seen.push(this.renderRoot.querySelector('p')!.textContent!);
  }
}
customElements.define('base-element-test', TestElement);

/** A fresh element, connected, after its first update. */
async function make(markup = '<base-element-test></base-element-test>'): Promise<TestElement> {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  const el = host.firstElementChild as TestElement;
  await el.updateComplete;
  return el;
}

describe('BaseElement (the elements’ base class)', () => {
  afterEach(() => {
    document.querySelectorAll('base-element-test').forEach((el) => el.parentElement!.remove());
  });

  it('turns attributes into properties: a converter, Number, Boolean, string', async () => {
    const el = await make(
      '<base-element-test upload-ids=" a  b c" count="42" open label="x"></base-element-test>',
    );
    expect(el.ids).to.deep.equal(['a', 'b', 'c']);
    expect(el.count).to.equal(42);
    expect(el.open).to.equal(true);
    expect(el.label).to.equal('x');
    el.removeAttribute('open');
    el.setAttribute('count', '7');
    el.removeAttribute('upload-ids');
    expect(el.open).to.equal(false);
    expect(el.count).to.equal(7);
    expect(el.ids).to.equal(null);
    await el.updateComplete;
    expect(el.renderRoot.querySelector('p')!.textContent).to.equal('x 7');
    // `attribute: false`: no attribute is observed.
    el.setAttribute('hidden2', '5');
    expect(el.hidden2).to.equal(0);
  });

  it('reflects properties to attributes after the update, and leaves an attribute the page set as written', async () => {
    const el = await make();
    expect(el.getAttribute('mode')).to.equal('all');
    expect(el.hasAttribute('open')).to.equal(false);
    el.open = true;
    el.mode = 'failed';
    expect(el.hasAttribute('open'), 'not before the update').to.equal(false);
    await el.updateComplete;
    expect(el.getAttribute('open')).to.equal('');
    expect(el.getAttribute('mode')).to.equal('failed');
    el.open = false;
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(false);
    el.setAttribute('open', 'yes');
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.getAttribute('open')).to.equal('yes');
  });

  it('renders once for any number of property sets in a task, with every change and its old value', async () => {
    const el = await make();
    const renders = el.renders;
    el.changes = [];
    for (let i = 1; i <= 10; i++) el.count = i;
    el.label = 'y';
    el.label = 'y';
    el.requestUpdate();
    expect(el.isUpdatePending).to.equal(true);
    expect(await el.updateComplete).to.equal(true);
    expect(el.renders - renders).to.equal(1);
    expect(el.isUpdatePending).to.equal(false);
    expect([...el.changes[0]!]).to.deep.equal([
      ['count', 0],
      ['label', ''],
    ]);
    // The same value again is no change and no update.
    el.count = 10;
    expect(el.isUpdatePending).to.equal(false);
  });

  it('settles updateComplete once the shadow root shows the update', async () => {
    const el = await make();
    el.label = 'done';
    el.count = 3;
    expect(el.renderRoot.querySelector('p')!.textContent).to.equal(' 0');
    await el.updateComplete;
    expect(el.renderRoot.querySelector('p')!.textContent).to.equal('done 3');
    expect(el.seen.at(-1)).to.equal('done 3');
    expect(el.hasUpdated).to.equal(true);
  });

  it('does not update before it is connected, then applies what was set meanwhile', async () => {
    const el = document.createElement('base-element-test') as TestElement;
    el.count = 5;
    await Promise.resolve();
    await Promise.resolve();
    expect(el.renders).to.equal(0);
    expect(el.hasUpdated).to.equal(false);
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(el.renders).to.equal(1);
      expect(el.renderRoot.querySelector('p')!.textContent).to.equal(' 5');
    } finally {
      el.remove();
    }
  });

  it('takes properties set on the element before its class was defined', async () => {
    const el = document.createElement('base-element-early');
    (el as unknown as {count: number}).count = 9;
    document.body.append(el);
    try {
      customElements.define('base-element-early', class extends TestElement {});
      const upgraded = el as unknown as TestElement;
      await upgraded.updateComplete;
      expect(upgraded.count).to.equal(9);
      expect(upgraded.renderRoot.querySelector('p')!.textContent).to.equal(' 9');
      upgraded.count = 10;
      await upgraded.updateComplete;
      expect(upgraded.renderRoot.querySelector('p')!.textContent, 'still reactive').to.equal(' 10');
    } finally {
      el.remove();
    }
  });

  it('survives a throw in render: updateComplete rejects with it, and later updates render', async () => {
    const el = await make();
    // The next update throws the error again for the page, as Lit does (tested below).
    const absorb = (event: PromiseRejectionEvent) => event.preventDefault();
    window.addEventListener('unhandledrejection', absorb);
    try {
      el.fail = true;
      el.count = 1;
      let error: unknown;
      await el.updateComplete.catch((e: unknown) => (error = e));
      expect((error as Error).message).to.equal('render failed');
      expect(el.isUpdatePending).to.equal(false);
      el.fail = false;
      el.count = 2;
      expect(await el.updateComplete).to.equal(true);
      expect(el.renderRoot.querySelector('p')!.textContent).to.equal(' 2');
      await new Promise((resolve) => setTimeout(resolve));
    } finally {
      window.removeEventListener('unhandledrejection', absorb);
    }
  });

  it('applies static styles in its shadow root, one stylesheet shared by the instances', async () => {
    const a = await make();
    const b = await make();
    expect(getComputedStyle(a).display).to.equal('block');
    expect(getComputedStyle(a.renderRoot.querySelector('p')!).marginTop).to.equal('7px');
    expect(a.renderRoot.adoptedStyleSheets).to.have.length(1);
    expect(a.renderRoot.adoptedStyleSheets[0]).to.equal(b.renderRoot.adoptedStyleSheets[0]);
    // Not in the page: p outside the element keeps its margin.
    const outside = document.createElement('p');
    document.body.append(outside);
    expect(getComputedStyle(outside).marginTop).to.not.equal('7px');
    outside.remove();
  });

  it('without adoptedStyleSheets, puts the styles in a <style> carrying window.litNonce', async () => {
    const own = Object.getOwnPropertyDescriptor(ShadowRoot.prototype, 'adoptedStyleSheets');
    const where = own ? ShadowRoot.prototype : Object.getPrototypeOf(ShadowRoot.prototype);
    const descriptor = Object.getOwnPropertyDescriptor(where, 'adoptedStyleSheets')!;
    Object.defineProperty(where, 'adoptedStyleSheets', {configurable: true, get: () => undefined});
    const page = window as unknown as {litNonce?: string};
    page.litNonce = 'n0nce';
    try {
      const el = await make();
      const style = el.renderRoot.querySelector('style')!;
      expect(style.getAttribute('nonce')).to.equal('n0nce');
      expect(getComputedStyle(el.renderRoot.querySelector('p')!).marginTop).to.equal('7px');
      expect(getComputedStyle(el).display).to.equal('block');
    } finally {
      Object.defineProperty(where, 'adoptedStyleSheets', descriptor);
      delete page.litNonce;
    }
  });

  it('runs its controllers: connected, before each render, disconnected', async () => {
    const calls: string[] = [];
    const el = document.createElement('base-element-test') as TestElement;
    const controller: ReactiveController = {
      hostConnected: () => calls.push('connected'),
      hostUpdate: () => calls.push(`update ${el.renders}`),
      hostDisconnected: () => calls.push('disconnected'),
    };
    el.addController(controller);
    document.body.append(el);
    await el.updateComplete;
    el.count = 1;
    await el.updateComplete;
    el.remove();
    expect(calls).to.deep.equal(['connected', 'update 0', 'update 1', 'disconnected']);
  });
});

describe('BaseElement: subclasses, errors nobody awaited, other documents', () => {
  const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

  it("a subclass declares only its own properties and keeps its parent's (as with Lit)", async () => {
    class Sub extends TestElement {
      static override properties = {extra: {reflect: true}} as never;
      extra = '';
    }
    customElements.define('base-element-sub', Sub);
    expect(Sub.observedAttributes).to.include.members(['count', 'open', 'extra']);
    const host = document.createElement('div');
    host.innerHTML = '<base-element-sub count="4" open extra="x"></base-element-sub>';
    document.body.append(host);
    try {
      const el = host.firstElementChild as Sub;
      await el.updateComplete;
      expect([el.count, el.open, el.extra]).to.deep.equal([4, true, 'x']);
      expect(el.renderRoot.querySelector('p')!.textContent).to.equal(' 4');
      el.open = false;
      el.extra = 'y';
      await el.updateComplete;
      expect(el.hasAttribute('open'), "the parent's property reflects").to.equal(false);
      expect(el.getAttribute('extra')).to.equal('y');
    } finally {
      host.remove();
    }
  });

  it("keeps a subclass's own accessor for a declared property, and still updates after it", async () => {
    class Upper extends TestElement {
      // Not `#label`: the parent's constructor sets `label` before this class's fields exist.
      declare _label?: string;
      declare sets?: number;
      // @ts-expect-error -- an accessor where the parent has a field, as a subclass may write
      override get label(): string {
        return this._label ?? '';
      }
      override set label(value: string) {
        this.sets = (this.sets ?? 0) + 1;
        this._label = value.toUpperCase();
      }
    }
    customElements.define('base-element-upper', Upper);
    const el = document.createElement('base-element-upper') as Upper;
    document.body.append(el);
    try {
      await el.updateComplete;
      el.label = 'abc';
      await el.updateComplete;
      expect(el.sets).to.be.greaterThan(0);
      expect(el.label).to.equal('ABC');
      expect(el.renderRoot.querySelector('p')!.textContent).to.equal('ABC 0');
    } finally {
      el.remove();
    }
  });

  it('takes styles nested as a subclass writes them: [Parent.styles, css`...`]', async () => {
    class Styled extends TestElement {
      static override styles = [
        TestElement.styles,
        css`
          :host {
            outline: 3px solid red;
          }
        `,
      ];
    }
    customElements.define('base-element-styled', Styled);
    const el = document.createElement('base-element-styled') as Styled;
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(getComputedStyle(el).display, "the parent's first rule").to.equal('block');
      expect(getComputedStyle(el.renderRoot.querySelector('p')!).marginTop).to.equal('7px');
      expect(getComputedStyle(el).outlineWidth).to.equal('3px');
    } finally {
      el.remove();
    }
  });

  it('throws again an update error nobody awaited, even when another update follows at once', async () => {
    const el = await make();
    const seen: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent) => {
      if ((event.reason as Error)?.message !== 'render failed') return;
      seen.push(event.reason);
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', onRejection);
    try {
      el.fail = true;
      el.count = 1;
      await Promise.resolve();
      await Promise.resolve();
      await Promise.resolve();
      el.fail = false;
      el.count = 2;
      await tick(50);
      expect(seen.length, 'the error reached the page').to.be.greaterThan(0);
      expect(el.renderRoot.querySelector('p')!.textContent).to.equal(' 2');
    } finally {
      window.removeEventListener('unhandledrejection', onRejection);
    }
  });

  it("renders styled in an iframe's document, first connected there or moved there", async () => {
    const iframe = document.createElement('iframe');
    document.body.append(iframe);
    try {
      await tick(20);
      const frame = iframe.contentDocument!;
      const view = iframe.contentWindow!;
      const first = document.createElement('base-element-test') as TestElement;
      frame.body.append(first);
      await first.updateComplete;
      expect(view.getComputedStyle(first).display, 'first connected there').to.equal('block');
      const moved = await make();
      frame.body.append(moved);
      await tick(20);
      expect(view.getComputedStyle(moved).display, 'moved there').to.equal('block');
      expect(view.getComputedStyle(moved.renderRoot.querySelector('p')!).marginTop).to.equal('7px');
    } finally {
      iframe.remove();
    }
  });
});

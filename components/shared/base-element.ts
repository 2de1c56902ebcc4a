// The elements' base class: what they used of LitElement (reactive properties from
// `static properties`, attributes, styles in a shadow root, one batched update per
// microtask, controllers), rendering with lit-html's `render()`. LitElement and
// ReactiveElement cost the script tag 2,644 B min+gzip; this costs 761 B, because it does
// only what the three elements need (docs/elements.md, "The base class").
import {render} from 'lit-html';

/** How a `static properties` entry maps to an attribute. */
export interface PropertyDeclaration {
  /** The attribute's name (default, or `true`: the property's name in lower case); `false`: none. */
  attribute?: string | boolean;
  /** How the attribute's text becomes the value: `Number`, `Boolean` (present or not), else a string. */
  type?: typeof Number | typeof Boolean;
  /** Reads the attribute instead of `type`. */
  converter?: {fromAttribute(value: string | null): unknown};
  /** Writes the value back to the attribute after each update that changed it. */
  reflect?: boolean;
}

/** The properties changed since the last update, with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;

/** A helper that hooks into its host's lifecycle (Lit's `ReactiveController`, the hooks used here). */
export interface ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
  /** Before each update renders, after `willUpdate()`. */
  hostUpdate?(): void;
}

/** What a {@link ReactiveController} can ask of its host. */
export interface ReactiveControllerHost {
  addController(controller: ReactiveController): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
}

/**
 * A stylesheet's text, for `static styles`. Tagged (css`…`) so the build minifies it
 * (scripts/build/minify-templates.mjs) and editors highlight it.
 */
export const css = (strings: TemplateStringsArray): string => strings[0]!;

// In Node (server rendering) there is no HTMLElement: the classes must still load.
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/** Stylesheets: a text, or lists of them (a subclass's `[Parent.styles, css`…`]`). */
export type Styles = string | readonly Styles[];

/**
 * Per document, one stylesheet per text, shared by every shadow root there (a sheet made in
 * one document cannot be adopted in another: an iframe's, a popup's).
 */
const sheets = new WeakMap<Document, Map<string, CSSStyleSheet>>();

/** An element's reactive properties, by name. */
type Values = Record<string, unknown>;

/**
 * Per class: its properties and those of the classes it extends, each with its declaration
 * and its attribute (`''`: none), its accessors defined.
 */
type Declared = Map<string, [PropertyDeclaration, string]>;
const declared = new WeakMap<object, Declared>();

/**
 * The base class of the elements: a custom element with an open shadow root that renders
 * `render()`'s lit-html template after its properties change, at most once per microtask.
 *
 * Subclasses declare `static properties` (each one becomes an accessor; setting it to a
 * new value, by `Object.is`, requests an update) and `static styles`, and override
 * `render()`, `willUpdate(changed)` and `updated(changed)`. The first update waits until
 * the element is connected.
 */
export class BaseElement extends Base implements ReactiveControllerHost {
  /** The reactive properties, by name (every subclass declares them, `{}` for none). */
  declare static properties: Record<string, PropertyDeclaration>;

  /** The shadow root's CSS (see {@link css}; every subclass declares it, `[]` for none). */
  declare static styles: Styles;

  /** The attributes `static properties` maps (the classes' it extends too). */
  static get observedAttributes(): string[] {
    return [...BaseElement.#properties(this).values()].flatMap(([, attribute]) => attribute || []);
  }

  /**
   * This class's properties and those of the classes it extends (as in Lit, a subclass
   * declares only its own), each given an accessor on this class's prototype once. An
   * accessor the class wrote itself is kept and called; the update is requested after it.
   */
  static #properties(ctor: typeof BaseElement): Declared {
    let all = declared.get(ctor);
    if (all) return all;
    const parent = Object.getPrototypeOf(ctor) as typeof BaseElement;
    all = new Map(parent.prototype instanceof BaseElement ? BaseElement.#properties(parent) : []);
    declared.set(ctor, all);
    for (const [name, declaration] of Object.entries(ctor.properties ?? {})) {
      const {attribute} = declaration;
      all.set(name, [
        declaration,
        attribute === false ? '' : typeof attribute === 'string' ? attribute : name.toLowerCase(),
      ]);
    }
    for (const name of all.keys()) {
      const own = Object.getOwnPropertyDescriptor(ctor.prototype, name);
      Object.defineProperty(ctor.prototype, name, {
        get(this: BaseElement) {
          return own?.get ? own.get.call(this) : this.#values[name];
        },
        set(this: BaseElement, value: unknown) {
          const old = (this as unknown as Values)[name];
          if (own?.set) own.set.call(this, value);
          else this.#values[name] = value;
          this.requestUpdate(name, old);
        },
        configurable: true,
      });
    }
    return all;
  }

  /** The properties of this element's class (see {@link BaseElement.#properties}). */
  get #declared(): Declared {
    return BaseElement.#properties(this.constructor as typeof BaseElement);
  }

  /** Where `render()` renders: the open shadow root, made on the first connection. */
  renderRoot!: ShadowRoot;

  /** Whether it has rendered at least once. */
  hasUpdated = false;

  /** Whether an update is scheduled and has not run yet. */
  isUpdatePending = false;

  #values: Record<string, unknown> = {};
  #changed: PropertyValues = new Map();
  #reflect = new Set<string>();
  /** The property being set from its attribute: not reflected back. */
  #fromAttribute: string | undefined;
  #controllers: ReactiveController[] = [];
  /** Values set on the element before it was upgraded, applied at the first update. */
  #early: [string, unknown][] = [];
  #enable!: (value: boolean) => void;
  #update = new Promise<boolean>((resolve) => (this.#enable = resolve));

  constructor() {
    super();
    // A framework may set properties on the element before its class is defined: those
    // own properties would hide the accessors.
    for (const name of this.#declared.keys()) {
      if (Object.hasOwn(this, name)) {
        this.#early.push([name, (this as unknown as Values)[name]]);
        delete (this as unknown as Values)[name];
      }
    }
    this.requestUpdate();
  }

  /** Adds a controller; its hooks run from the next connection and update on. */
  addController(controller: ReactiveController): void {
    this.#controllers.push(controller);
  }

  connectedCallback(): void {
    if (!this.renderRoot) {
      this.renderRoot = this.attachShadow({mode: 'open'});
      this.#style();
    }
    this.#enable(true);
    for (const c of this.#controllers) c.hostConnected?.();
  }

  /** Moved to another document (an iframe's, a popup's): its styles are made there again. */
  adoptedCallback(): void {
    if (this.renderRoot) this.#style();
  }

  /** Puts the class's `static styles` in the shadow root, for the document it is in now. */
  #style(): void {
    const root = this.renderRoot;
    const text = [(this.constructor as typeof BaseElement).styles].flat(9).join('');
    const doc = this.ownerDocument;
    const Sheet = doc.defaultView?.CSSStyleSheet;
    if (root.adoptedStyleSheets && Sheet) {
      let byText = sheets.get(doc);
      if (!byText) sheets.set(doc, (byText = new Map()));
      let sheet = byText.get(text);
      if (!sheet) {
        byText.set(text, (sheet = new Sheet()));
        sheet.replaceSync(text);
      }
      root.adoptedStyleSheets = [sheet];
    } else if (!root.querySelector('style')) {
      // Browsers without constructable stylesheets (Safari before 16.4). A page whose CSP
      // limits inline styles gives its nonce as `window.litNonce`, as it does for Lit.
      const style = document.createElement('style');
      const nonce = (globalThis as {litNonce?: string}).litNonce;
      if (nonce) style.setAttribute('nonce', nonce);
      style.textContent = text;
      root.prepend(style);
    }
  }

  disconnectedCallback(): void {
    for (const c of this.#controllers) c.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    for (const [name, [{type, converter}, own]] of this.#declared) {
      if (own !== attribute) continue;
      this.#fromAttribute = name;
      (this as unknown as Values)[name] = converter
        ? converter.fromAttribute(value)
        : type === Boolean
          ? value !== null
          : type === Number && value !== null
            ? Number(value)
            : value;
      this.#fromAttribute = undefined;
    }
  }

  /**
   * Schedules an update (once per microtask however often it is called). With a property's
   * `name` and its value before, records the change, unless the value is the same.
   */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined) {
      if (Object.is(old, (this as unknown as Values)[name])) return;
      if (!this.#changed.has(name)) this.#changed.set(name, old);
      const [declaration, attribute] = this.#declared.get(name) ?? [];
      if (declaration?.reflect && attribute && this.#fromAttribute !== name)
        this.#reflect.add(name);
    }
    if (this.isUpdatePending) return;
    this.isUpdatePending = true;
    // After the previous update, even a failed one: an update that threw leaves the element
    // working, and its error still reaches whoever awaited that update's `updateComplete`.
    // An error nobody awaited is thrown again (as Lit does), else this update would hide it.
    const run = () => this.#perform();
    this.#update = this.#update.then(run, (error: unknown) => {
      void Promise.reject(error);
      return run();
    });
  }

  /**
   * Resolves once no update is pending (to `true`), or to `false` when the update it waited
   * for requested another. Rejects with the error of an update that threw.
   */
  get updateComplete(): Promise<boolean> {
    return this.getUpdateComplete();
  }

  /** What `updateComplete` returns: override to wait for more (call `super`). */
  protected getUpdateComplete(): Promise<boolean> {
    return this.#update;
  }

  /** Before each render, with the changed properties; properties set here render in this update. */
  protected willUpdate(_changed: PropertyValues): void {}

  /** After each render; setting properties here requests another update. */
  protected updated(_changed: PropertyValues): void {}

  /** The template of the shadow root (anything lit-html's `render()` takes). */
  protected render(): unknown {
    return undefined;
  }

  #perform(): boolean {
    const changed = this.#changed;
    let template: unknown;
    try {
      for (const [name, value] of this.#early.splice(0)) (this as unknown as Values)[name] = value;
      this.willUpdate(changed);
      for (const c of this.#controllers) c.hostUpdate?.();
      // Still part of this update, as in LitElement: a property render() sets is rendered now.
      template = this.render();
      for (const name of this.#reflect) {
        const [{type}, attribute] = this.#declared.get(name)!;
        const value = (this as unknown as Values)[name];
        const text = type === Boolean ? (value ? '' : null) : value;
        if (text == null) this.removeAttribute(attribute);
        else this.setAttribute(attribute, String(text));
      }
    } finally {
      // From here on (and after a throw), a property set is a new update.
      this.#changed = new Map();
      this.#reflect = new Set();
      this.isUpdatePending = false;
    }
    render(template, this.renderRoot, {host: this});
    this.hasUpdated = true;
    this.updated(changed);
    return !this.isUpdatePending;
  }
}

/**
 * Defines the element `tag` unless it is already defined (defining twice is harmless). In
 * Node (server rendering) there is no registry: the classes load, nothing is defined.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (globalThis.customElements && !customElements.get(tag)) customElements.define(tag, element);
}

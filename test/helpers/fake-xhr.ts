// A scripted XMLHttpRequest for uploadFiles() tests: the test says how many bytes went out,
// when the body is sent and what the server answers, event by event, with no network.

/** One request, driven by the test. */
export class FakeXhr extends EventTarget {
  readonly upload = new EventTarget();
  method = '';
  url = '';
  readonly headers = new Map<string, string>();
  body: Blob | null = null;
  withCredentials = false;
  timeout = 0;
  status = 0;
  statusText = '';
  responseText = '';
  /** Sent and not answered, failed or aborted yet. */
  active = false;
  aborted = false;
  readonly #onSend: (xhr: FakeXhr) => void;

  constructor(onSend: (xhr: FakeXhr) => void) {
    super();
    this.#onSend = onSend;
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name.toLowerCase(), value);
  }

  send(body: Blob): void {
    this.body = body;
    this.active = true;
    this.#onSend(this);
  }

  abort(): void {
    if (!this.active) return;
    this.active = false;
    this.aborted = true;
    // As the standard orders it: the upload's abort and loadend, then the request's.
    this.upload.dispatchEvent(new ProgressEvent('abort'));
    this.dispatchEvent(new ProgressEvent('abort'));
  }

  /** `loaded` bytes of the body went out. */
  progress(loaded: number): void {
    const total = this.body!.size;
    this.upload.dispatchEvent(
      new ProgressEvent('progress', {loaded, total, lengthComputable: true}),
    );
  }

  /** The whole body went out. */
  sent(): void {
    this.progress(this.body!.size);
    this.upload.dispatchEvent(new ProgressEvent('load'));
  }

  /** The server answers (after the whole body went out). */
  respond(status: number, body: unknown, statusText = ''): void {
    if (!this.active) return;
    this.sent();
    this.active = false;
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.dispatchEvent(new ProgressEvent('load'));
  }

  /** The network fails. */
  fail(): void {
    this.active = false;
    this.dispatchEvent(new ProgressEvent('error'));
  }

  /** The request's `timeout` ran out. */
  timeOut(): void {
    this.active = false;
    this.dispatchEvent(new ProgressEvent('timeout'));
  }

  /** The multipart body as text (files here are small and ASCII). */
  text(): Promise<string> {
    return this.body!.text();
  }
}

/** Every fake made in this page, to end what a test left open (see {@link endFakeXhrs}). */
const everyFake = new Set<FakeXhr>();

/**
 * Fails every request a test left unanswered, until none is left (queued requests start
 * as others end), so no transfer outlives its test: a transfer still sending would make
 * the page ask before the test runner navigates away (`beforeunload`).
 */
export async function endFakeXhrs(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const open = [...everyFake].filter((xhr) => xhr.active);
    everyFake.clear();
    if (open.length === 0) {
      await new Promise((resolve) => setTimeout(resolve));
      if (![...everyFake].some((xhr) => xhr.active)) return;
      continue;
    }
    for (const xhr of open) xhr.fail();
    await new Promise((resolve) => setTimeout(resolve));
  }
}

/** Every request made through {@link FakeXhrs.create}, and how many were active at once. */
export class FakeXhrs {
  readonly all: FakeXhr[] = [];
  peak = 0;

  /** The `createXhr` option. */
  readonly create = (): XMLHttpRequest => {
    const xhr = new FakeXhr(() => {
      this.peak = Math.max(this.peak, this.active().length);
    });
    this.all.push(xhr);
    everyFake.add(xhr);
    return xhr as unknown as XMLHttpRequest;
  };

  /** Requests sent and not finished. */
  active(): FakeXhr[] {
    return this.all.filter((xhr) => xhr.active);
  }
}

// Every test file that scripts requests ends what its tests left open.
afterEach(endFakeXhrs);

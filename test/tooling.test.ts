// Checks the environment the browser suite relies on (web-test-runner.config.mjs), so a
// broken setup fails here with a clear message instead of somewhere deep in a feature test.
import {expect} from '@esm-bundle/chai';
import {html} from 'lit-html';
import {BaseElement} from '../components/shared/base-element.js';

// A class field must be an assignment (useDefineForClassFields: false), not an own property
// hiding the accessor `static properties` makes.
class ToolingCheckElement extends BaseElement {
  static override properties = {value: {type: Number}};

  value = 1;

  override render() {
    return html`<span>${this.value}</span>`;
  }
}
customElements.define('tooling-check-element', ToolingCheckElement);

describe('browser test environment', () => {
  it('serves msw’s service worker at /mockServiceWorker.js', async () => {
    const response = await fetch('/mockServiceWorker.js');
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/javascript/);
    expect(await response.text()).to.contain('MOCK_ACTIVATE');
  });

  it('compiles class fields so a field of an element stays reactive', async () => {
    const element = document.createElement('tooling-check-element') as ToolingCheckElement;
    document.body.append(element);
    try {
      await element.updateComplete;
      element.value = 42;
      await element.updateComplete;
      expect(element.shadowRoot?.textContent).to.equal('42');
    } finally {
      element.remove();
    }
  });

  it('reaches the mock server through /__mock-server and the /api/ proxy', async () => {
    const info = await fetch('/__mock-server');
    const {url} = (await info.json()) as {url: string | null};
    if (info.status === 404) {
      // test/mock-server/server.mjs does not exist yet: nothing to proxy to.
      expect(url).to.equal(null);
      return;
    }
    expect(info.status).to.equal(200);
    expect(url).to.match(/^http:\/\/[^/]+:\d+$/);

    // A multipart POST goes through (method, headers and body forwarded)...
    const form = new FormData();
    form.append('files', new File(['hello'], 'tooling.txt'));
    form.append('path', '/');
    form.append('mock', JSON.stringify({steps: 2, stepMs: 10}));
    const upload = await fetch('/api/files/upload', {method: 'POST', body: form});
    expect(upload.status).to.equal(200);
    const {upload_ids: ids} = (await upload.json()) as {upload_ids: string[]};
    expect(ids).to.have.length(1);

    // ...and the event stream comes back as an event stream, to its terminal message.
    const stream = await fetch(`/api/files/progress/${ids[0]}`);
    expect(stream.headers.get('content-type')).to.match(/^text\/event-stream/);
    const text = await stream.text();
    expect(text).to.contain('event: progress');
    expect(text).to.contain('"status":"completed"');
  });
});

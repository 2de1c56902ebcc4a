// The Angular adapter with real Angular (21) in Chromium: JIT (the compiler is imported
// first and compiles the templates in the page), zoneless change detection, standalone
// components bootstrapped with createApplication. Imported through the package's exports.
import '@angular/compiler';
import {expect} from '@esm-bundle/chai';
import {
  Component,
  computed,
  CUSTOM_ELEMENTS_SCHEMA,
  PLATFORM_ID,
  provideZonelessChangeDetection,
  signal,
  type ApplicationRef,
  type Type,
} from '@angular/core';
import {createApplication} from '@angular/platform-browser';
import {ConnectionBudget, UploadProgressManager, type ProgressOptions} from 'upload-progress';
import 'upload-progress/components';
import {injectMultiUploadProgress, injectUploadProgress} from 'upload-progress/angular';
import {waitFor} from '../helpers/sse.js';
import {ScriptedServer} from './scripted-server.js';

let server: ScriptedServer;
/** What the components below pass to the adapter (set before each bootstrap). */
let options: ProgressOptions & {connectionBudget: ConnectionBudget};
let app: ApplicationRef | undefined;
let host: HTMLElement;

async function bootstrap<T>(component: Type<T>): Promise<T> {
  app = await createApplication({providers: [provideZonelessChangeDetection()]});
  return app.bootstrap(component, host).instance;
}

const text = () => host.textContent?.trim() ?? '';

beforeEach(() => {
  server = new ScriptedServer();
  options = {fetch: server.fetch, connectionBudget: new ConnectionBudget()};
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  app?.destroy();
  app = undefined;
  host.remove();
});

@Component({
  selector: 'test-row',
  template: `{{ progress()?.upload_id ?? 'none' }} {{ progress()?.progress_percentage ?? '' }}`,
})
class Row {
  readonly uploadId = signal<string | null>('a');
  readonly progress = injectUploadProgress(this.uploadId, options);
}

@Component({selector: 'test-fixed-row', template: `{{ progress()?.status ?? 'none' }}`})
class FixedRow {
  readonly progress = injectUploadProgress('a', options);
}

@Component({
  selector: 'test-uploads',
  template: `{{ uploads.progressMap().size }} {{ uploads.overallPercentage() }}
    {{ uploads.allCompleted() }} {{ uploads.snapshot().total }}`,
})
class Uploads {
  readonly ids = signal<string[]>(['a', 'b']);
  readonly uploads = injectMultiUploadProgress(this.ids, options);
}

describe('upload-progress/angular: injectUploadProgress', () => {
  it('is a signal: null, then live records; follows a signal id; closes on destroy', async () => {
    const row = await bootstrap(Row);
    await waitFor(() => text() === 'none', 'the first render');
    await waitFor(() => server.open === 1, 'a connection');
    server.send('a', {progress_percentage: 40});
    await waitFor(() => text() === 'a 40', 'the first record');

    row.uploadId.set('b');
    await waitFor(() => server.requests('b') === 1, 'a connection for b');
    expect(server.signals.get('a')!.aborted).to.be.true;
    server.send('b', {progress_percentage: 7});
    await waitFor(() => text() === 'b 7');

    app!.destroy();
    app = undefined;
    expect(server.open).to.equal(0);
  });

  it('takes a plain id too', async () => {
    await bootstrap(FixedRow);
    await waitFor(() => server.open === 1);
    server.complete('a');
    await waitFor(() => text() === 'completed');
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/angular: injectMultiUploadProgress', () => {
  it("gives the seed's three fields as signals, follows the ids by value, closes on destroy", async () => {
    const uploads = await bootstrap(Uploads);
    await waitFor(() => server.open === 2);
    await waitFor(() => text() === '0 0 false 2');
    server.send('a', {total_bytes: 1000, uploaded_bytes: 500});
    server.send('b', {total_bytes: 1000, uploaded_bytes: 0});
    await waitFor(() => text() === '2 25 false 2');

    uploads.ids.set(['a', 'b']); // a new array, the same ids
    uploads.ids.set(['a', 'c']);
    // c's stream opens in the task after it was tracked.
    await waitFor(() => text() === '1 25 false 2' && server.open === 2, 'b gone, c in');
    expect(server.signals.get('b')!.aborted).to.be.true;
    expect(server.requests('a')).to.equal(1);

    server.complete('a');
    server.complete('c');
    await waitFor(() => text() === '2 100 true 2');

    uploads.ids.set(['a', 'c', 'd']);
    await waitFor(() => server.open === 1);
    app!.destroy();
    app = undefined;
    expect(server.open).to.equal(0);
  });

  it('with a shared manager, tracks on it and leaves closing to its owner', async () => {
    const manager = new UploadProgressManager(options);
    @Component({selector: 'test-shared', template: `{{ uploads.snapshot().total }}`})
    class Shared {
      readonly uploads = injectMultiUploadProgress(['a'], {manager});
    }
    await bootstrap(Shared);
    await waitFor(() => text() === '1');
    app!.destroy();
    app = undefined;
    expect(server.open).to.equal(1);
    manager.closeAll();
    expect(server.open).to.equal(0);
  });
});

describe('upload-progress/angular: names and sizes; nothing on the server', () => {
  it('injectMultiUploadProgress takes {upload_id, filename, total_bytes}', async () => {
    @Component({
      selector: 'test-named',
      template: `{{ names() }}`,
    })
    class Named {
      readonly uploads = injectMultiUploadProgress(
        [
          {upload_id: 'a', filename: 'report.pdf', total_bytes: 1000},
          {upload_id: 'b', filename: 'photo.jpg', total_bytes: 3000},
        ],
        options,
      );
      readonly names = computed(() =>
        [...this.uploads.snapshot().uploads.values()]
          .map((entry) => `${entry.filename} ${entry.totalBytes}`)
          .join(', '),
      );
    }
    await bootstrap(Named);
    await waitFor(() => text() === 'report.pdf 1000, photo.jpg 3000');
    await waitFor(() => server.open === 2);
  });

  it("on the server platform (PLATFORM_ID 'server') the injectors connect nothing", async () => {
    @Component({
      selector: 'test-on-server',
      template: `{{ one()?.status ?? 'none' }} {{ many.snapshot().total }}`,
    })
    class OnServer {
      readonly one = injectUploadProgress({upload_id: 'a', filename: 'a.txt'}, options);
      readonly many = injectMultiUploadProgress(['b', 'c'], options);
    }
    app = await createApplication({
      providers: [provideZonelessChangeDetection(), {provide: PLATFORM_ID, useValue: 'server'}],
    });
    app.bootstrap(OnServer, host);
    await waitFor(() => text() === 'none 0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requested).to.deep.equal([]);
  });
});

describe('upload-progress/angular: the elements with CUSTOM_ELEMENTS_SCHEMA', () => {
  it('take property bindings and report (close)', async () => {
    const manager = new UploadProgressManager(options);
    @Component({
      selector: 'test-modal',
      schemas: [CUSTOM_ELEMENTS_SCHEMA],
      template: `<upload-progress-modal
        [uploadIds]="ids"
        [manager]="manager"
        [autoCloseDelay]="-1"
        (close)="reasons.push($event.detail.reason)"
      ></upload-progress-modal>`,
    })
    class Page {
      readonly ids = ['a'];
      readonly manager = manager;
      readonly reasons: string[] = [];
    }
    const page = await bootstrap(Page);
    const modal = await waitFor(() => host.querySelector('upload-progress-modal'));
    await waitFor(() => modal.open, 'the modal to open');
    expect(modal.uploadIds).to.deep.equal(['a']);
    expect(modal.manager).to.equal(manager);
    expect(modal.autoCloseDelay).to.equal(-1);
    await waitFor(() => server.open === 1);
    modal.close();
    expect(page.reasons).to.deep.equal(['user']);
    manager.closeAll();
  });
});

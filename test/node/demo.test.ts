// `npm start`'s server, driven as a user would: started, the page opened in headless
// Chromium, the bundle loaded without errors, the sample upload run, then stopped.
// Needs dist/ (npm test builds before the Node tests) and Chromium (CHROME_PATH or
// /usr/bin/chromium).
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {chromeArgs, chromePath} from '../chromium.mjs';
import {chromium, type Browser} from 'playwright-core';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('npm start (demo/serve.mjs)', () => {
  let server: ChildProcess;
  let url = '';
  let browser: Browser;

  before(async () => {
    assert.ok(
      existsSync(`${ROOT}dist/upload-progress.min.js`),
      'dist/ is missing: run npm run build',
    );
    server = spawn(process.execPath, ['demo/serve.mjs'], {
      cwd: ROOT,
      env: {...process.env, PORT: '0'},
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 10_000);
      server.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /Demo: (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`demo server exited (${code}): ${out}`)));
    });
    browser = await chromium.launch({
      executablePath: chromePath,
      args: chromeArgs,
    });
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('serves a page that loads the script-tag bundle without errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const response = await page.goto(url);
    assert.equal(response?.status(), 200);
    const loaded = await page.evaluate(() => ({
      manager: typeof (window as unknown as {UploadProgress?: {UploadProgressManager?: unknown}})
        .UploadProgress?.UploadProgressManager,
      modal: Boolean(customElements.get('upload-progress-modal')),
    }));
    assert.deepEqual(loaded, {manager: 'function', modal: true});
    assert.equal(await page.isVisible('#load-error'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the sample upload runs: the modal opens and every row settles', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.click('#sample-button');
    await page.waitForFunction(() => {
      const modal = document.querySelector('upload-progress-modal') as HTMLElement & {
        uploadIds?: string[] | null;
      };
      return (modal?.uploadIds?.length ?? 0) > 0;
    });
    const ids = await page.evaluate(
      () =>
        (document.querySelector('upload-progress-modal') as unknown as {uploadIds: string[]})
          .uploadIds,
    );
    await page.waitForFunction(
      (expected) => {
        // The demo's own manager (multiplexed), which it hands to the modal.
        const snapshot = (
          document.querySelector('upload-progress-modal') as unknown as {
            manager: {getSnapshot(): {progressMap: Map<string, {status: string}>}};
          }
        ).manager.getSnapshot();
        return expected.every((id: string) => {
          const status = snapshot.progressMap.get(id)?.status;
          return status === 'completed' || status === 'failed';
        });
      },
      ids,
      {timeout: 30_000},
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the resumable card sends over tus: pause holds, resume and a lifted throttle finish it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.selectOption('#tus-throttle', '250000');
    await page.click('#tus-button');
    type Entry = {phase?: string; paused?: boolean; transferredBytes?: number | null};
    const entry = () =>
      page.evaluate(() => {
        const list = document.querySelector('upload-progress-list') as unknown as {
          manager: {getSnapshot(): {uploads: Map<string, unknown>}};
        };
        const uploads = [...list.manager.getSnapshot().uploads.values()];
        return uploads.at(-1) as Entry | undefined;
      });
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.waitForFunction(
      () => document.getElementById('tus-pause')!.getAttribute('aria-disabled') === 'false',
    );
    // From the keyboard: the button pressed is not disabled under the focus (which would drop
    // it to <body>); the focus moves to the action now offered.
    await page.focus('#tus-pause');
    await page.keyboard.press('Enter');
    assert.equal((await entry())?.paused, true);
    assert.equal(await page.getAttribute('#tus-pause', 'aria-disabled'), 'true');
    assert.equal(await page.getAttribute('#tus-resume', 'aria-disabled'), 'false');
    assert.equal(await focused(), 'tus-resume');
    await page.selectOption('#tus-throttle', '');
    await page.click('#tus-resume');
    await page.waitForFunction(
      () => /every byte is on the server/.test(document.getElementById('tus-status')!.textContent!),
      undefined,
      {timeout: 30_000},
    );
    assert.notEqual((await entry())?.phase, 'transferring');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('at 1280 px the sample button is not under the modal: with the pointer left on it, the modal closes by itself', async () => {
    // A pointer over the modal holds its auto-close (the documented rule): a page whose
    // main action sits under the modal keeps it open for as long as the pointer rests there.
    const page = await browser.newPage({viewport: {width: 1280, height: 800}});
    await page.goto(url);
    await page.click('#sample-button'); // the pointer stays where the button is
    await page.waitForFunction(
      () => (document.querySelector('upload-progress-modal') as unknown as {open: boolean}).open,
    );
    const overlap = await page.evaluate(() => {
      const button = document.getElementById('sample-button')!.getBoundingClientRect();
      const panel = document
        .querySelector('upload-progress-modal')!
        .shadowRoot!.querySelector('[part="panel"]')!
        .getBoundingClientRect();
      return (
        button.left < panel.right &&
        panel.left < button.right &&
        button.top < panel.bottom &&
        panel.top < button.bottom
      );
    });
    assert.equal(overlap, false, 'the modal covers the sample button');
    await page.waitForFunction(
      () => !(document.querySelector('upload-progress-modal') as unknown as {open: boolean}).open,
      undefined,
      {timeout: 30_000},
    );
    await page.close();
  });

  it('follows the uploads over the multiplexed stream the demo server offers', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) =>
      requests.push(new URL(request.url()).pathname + new URL(request.url()).search),
    );
    await page.goto(url);
    await page.click('#sample-button');
    await page.waitForFunction(
      () => {
        const modal = document.querySelector('upload-progress-modal') as unknown as {
          manager: {getSnapshot(): {allSettled: boolean}};
        };
        return modal.manager.getSnapshot().allSettled;
      },
      null,
      {timeout: 30_000},
    );
    const progress = requests.filter((path) => path.startsWith('/api/files/progress'));
    assert.ok(progress.length > 0);
    assert.ok(
      progress.every((path) => path.startsWith('/api/files/progress?ids=')),
      progress.join(' '),
    );
    await page.close();
  });

  it('works from the keyboard: Enter starts, Tab reaches Close, Escape closes, focus comes back', async () => {
    const page = await browser.newPage({viewport: {width: 320, height: 640}});
    await page.goto(url);
    await page.focus('#sample-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const dialog = document
        .querySelector('upload-progress-modal')
        ?.shadowRoot?.querySelector('dialog');
      return dialog?.open === true;
    });
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.getAttribute('aria-label');
    });
    assert.equal(focused, 'Close');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.id === 'sample-button');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320);
    await page.close();
  });
});

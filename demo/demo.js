// The demo page: plain browser JavaScript, no build step. Everything the SDK does comes
// from /dist/upload-progress.min.js (the elements and window.UploadProgress); this file
// only uploads files the way the seed's frontend does and hands the ids to the elements.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const input = $('file-input');
  const dropzone = $('dropzone');
  const sampleButton = $('sample-button');
  const failOption = $('opt-fail');
  const flakyOption = $('opt-flaky');
  const listOption = $('opt-list');
  const statusLine = $('status');
  const errorBox = $('error');
  const listSection = $('list-section');
  const list = $('list');
  const fallbackList = $('fallback-list');
  const listEmpty = $('list-empty');
  const modal = $('modal');
  const codeJs = $('code-js');

  const SDK = window.UploadProgress;
  const elementsDefined = Boolean(
    window.customElements && customElements.get('upload-progress-modal'),
  );
  // Every upload of the page over one stream per batch: the demo server offers
  // GET /api/files/progress?ids=… (a server without it is followed one stream per upload).
  const manager = SDK ? new SDK.UploadProgressManager({multiplexUrl: '/api/files/progress'}) : null;
  if (elementsDefined) {
    modal.manager = manager;
    list.manager = manager;
  }

  // ---- What loaded --------------------------------------------------------------------

  if (!SDK) {
    $('load-error').hidden = false;
    $('load-error-detail').textContent =
      'Uploads still reach the mock server, but nothing can show their progress until the bundle loads.';
  } else if (!elementsDefined) {
    $('load-error').hidden = false;
    $('load-error').querySelector('strong').textContent =
      'dist/upload-progress.min.js loaded, but it did not define <upload-progress-modal>: run npm run build';
    $('load-error-detail').textContent =
      'Meanwhile the inline list below shows the core alone (an UploadProgressManager).';
  }

  // ---- Options and the code shown -----------------------------------------------------

  /** The demo server's switches for this upload, as a JS object and as the code shown. */
  function mockSwitches(files) {
    const mock = {};
    const code = [];
    if (failOption.checked && files.length > 0) {
      mock.fail = [files[0].name];
      code.push('fail: [files[0].name]');
    }
    if (flakyOption.checked) {
      mock.cutAfterMs = 700;
      mock.statusOnAttempt = {2: 503};
      code.push('cutAfterMs: 700, statusOnAttempt: { 2: 503 }');
    }
    return code.length > 0 ? {mock, code: `{ ${code.join(', ')} }`} : null;
  }

  function renderCode() {
    const switches = mockSwitches([{name: ''}]);
    const lines = [
      '// Once: one stream per batch of uploads, where the server offers it.',
      "const manager = new UploadProgressManager({ multiplexUrl: '/api/files/progress' });",
      "document.querySelector('upload-progress-modal').manager = manager;",
      "document.querySelector('upload-progress-list').manager = manager;",
      '',
      'const form = new FormData();',
      "for (const file of files) form.append('files', file);",
      "form.append('path', 'demo');",
    ];
    if (switches) {
      lines.push('// Demo server only: ask the mock backend to misbehave.');
      lines.push(`form.append('mock', JSON.stringify(${switches.code}));`);
    }
    lines.push(
      '',
      "const res = await fetch('/api/files/upload', { method: 'POST', body: form });",
      'if (!res.ok) throw new Error((await res.json()).detail);',
      'const { upload_ids } = await res.json();',
      '',
      "const modal = document.querySelector('upload-progress-modal');",
      '// The names and sizes the page has: a file waiting for its turn shows them, not an id.',
      'modal.manager.track(',
      '  upload_ids.map((upload_id, i) => ({ upload_id, filename: files[i].name, total_bytes: files[i].size })),',
      ');',
      'modal.uploadIds = upload_ids;',
      "document.querySelector('upload-progress-list').uploadIds = upload_ids;",
    );
    codeJs.textContent = lines.join('\n');
  }

  // ---- Uploading (the seed's flow) ----------------------------------------------------

  function setStatus(text) {
    statusLine.textContent = text;
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function setBusy(busy) {
    // aria-disabled, not disabled: a disabled button drops keyboard focus to <body>, and the
    // modal would then hand focus back to <body> when it closes.
    sampleButton.setAttribute('aria-disabled', String(busy));
    input.disabled = busy;
    dropzone.classList.toggle('is-busy', busy);
    dropzone.setAttribute('aria-busy', String(busy));
  }

  async function refusal(res) {
    let detail = res.statusText || 'no reason given';
    try {
      const body = await res.json();
      if (body && typeof body.detail === 'string') detail = body.detail;
    } catch {
      // Not JSON: keep the status text.
    }
    return `The server refused the upload (HTTP ${res.status}): ${detail}`;
  }

  async function uploadFiles(files) {
    if (files.length === 0) return;
    showError('');
    setBusy(true);
    const count = files.length === 1 ? '1 file' : `${files.length} files`;
    setStatus(`Sending ${count}…`);

    const form = new FormData();
    for (const file of files) form.append('files', file);
    form.append('path', 'demo');
    const switches = mockSwitches(files);
    if (switches) form.append('mock', JSON.stringify(switches.mock));

    try {
      let res;
      try {
        res = await fetch('/api/files/upload', {method: 'POST', body: form});
      } catch (error) {
        throw new Error(
          `Could not reach the server (${error.message}). Is npm start still running?`,
        );
      }
      if (!res.ok) throw new Error(await refusal(res));
      const {upload_ids} = await res.json();
      showProgress(upload_ids, files);
    } catch (error) {
      setStatus('The upload did not go through.');
      showError(error.message);
    } finally {
      setBusy(false);
      input.value = '';
    }
  }

  function showProgress(uploadIds, files) {
    listEmpty.hidden = true;
    const received = `The server answered with ${uploadIds.length === 1 ? '1 upload id' : `${uploadIds.length} upload ids`}`;
    if (elementsDefined) {
      modal.manager.track(
        uploadIds.map((id, i) => ({
          upload_id: id,
          filename: files[i]?.name,
          total_bytes: files[i]?.size,
        })),
      );
      modal.uploadIds = uploadIds;
      list.uploadIds = uploadIds;
      setStatus(`${received}; the modal follows each file until it completes or fails.`);
    } else if (SDK) {
      followWithCore(uploadIds, files);
      setStatus(`${received}; the inline list follows them with the core alone.`);
    } else {
      setStatus(`${received}: ${uploadIds.join(', ')}. Build the bundle to watch their progress.`);
    }
  }

  modal.addEventListener('close', () => {
    setStatus(
      listOption.checked
        ? 'The modal closed; the inline list keeps the rows.'
        : 'The modal closed. Turn on the inline list to keep the rows in the page.',
    );
  });

  // ---- Fallback without the elements: the core alone ----------------------------------

  let unsubscribeFallback = null;

  function followWithCore(uploadIds, files) {
    manager.track(
      uploadIds.map((id, i) => ({
        upload_id: id,
        filename: files[i]?.name,
        total_bytes: files[i]?.size,
      })),
    );
    fallbackList.hidden = false;
    if (!unsubscribeFallback) unsubscribeFallback = manager.subscribe(renderFallback);
  }

  function renderFallback(snapshot) {
    const rows = [];
    for (const [id, progress] of snapshot.progressMap) {
      const row = document.createElement('div');
      row.className = `fallback-row is-${progress.status}`;
      const name = document.createElement('span');
      name.className = 'fallback-name';
      name.textContent = progress.filename || id;
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = Math.round(progress.progress_percentage);
      bar.setAttribute('aria-label', `${progress.filename || id} progress`);
      const state = document.createElement('span');
      state.className = 'fallback-state';
      state.textContent =
        progress.status === 'failed'
          ? `failed: ${progress.error || 'no reason given'}`
          : `${progress.status} · ${Math.round(progress.progress_percentage)}%`;
      row.append(name, bar, state);
      rows.push(row);
    }
    const overall = document.createElement('p');
    overall.className = 'hint';
    overall.textContent = `Overall ${Math.round(snapshot.overallPercentage)}%`;
    fallbackList.replaceChildren(overall, ...rows);
  }

  // ---- Picking, dropping, samples -----------------------------------------------------

  input.addEventListener('change', () => uploadFiles([...input.files]));

  sampleButton.addEventListener('click', () => {
    if (sampleButton.getAttribute('aria-disabled') === 'true') return;
    const sample = (name, bytes, type) => new File([new Uint8Array(bytes).fill(42)], name, {type});
    uploadFiles([
      sample('holiday-photo.jpg', 200_000, 'image/jpeg'),
      sample('quarterly-report.pdf', 1_500_000, 'application/pdf'),
      sample('screen-recording.mp4', 4_000_000, 'video/mp4'),
    ]);
  });

  // A file dropped beside the zone would make the browser navigate away to it.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());

  let dragDepth = 0;
  dropzone.addEventListener('dragenter', (event) => {
    event.preventDefault();
    dragDepth++;
    dropzone.classList.add('is-dragover');
  });
  dropzone.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropzone.classList.remove('is-dragover');
  });
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove('is-dragover');
    if (!input.disabled) uploadFiles([...event.dataTransfer.files]);
  });

  failOption.addEventListener('change', renderCode);
  flakyOption.addEventListener('change', renderCode);
  listOption.addEventListener('change', () => {
    listSection.hidden = !listOption.checked;
  });

  renderCode();

  // ---- Resumable (tus): pause, resume, throttle ---------------------------------------

  const tusButton = $('tus-button');
  const tusPause = $('tus-pause');
  const tusResume = $('tus-resume');
  const tusThrottle = $('tus-throttle');
  const tusStatus = $('tus-status');
  const rate = () => (tusThrottle.value ? Number(tusThrottle.value) : null);
  let tus = null;
  let task = null;

  if (!SDK || !SDK.tusTransfer || !elementsDefined) {
    tusButton.setAttribute('aria-disabled', 'true');
    tusStatus.textContent = 'dist/upload-progress.tus.min.js did not load: run npm run build.';
  }

  /**
   * The buttons offer what the file allows now (nothing until its sending has started).
   * aria-disabled, not disabled (as setBusy() does): a button disabled under the keyboard
   * focus drops it to <body>. The one pressed hands the focus to the other when that one
   * becomes the action (Pause to Resume and back), so Enter goes on where the user is.
   */
  function showActions() {
    const action = task ? SDK.uploadAction(task.keys[0]) : null;
    tusPause.setAttribute('aria-disabled', String(action !== 'pause'));
    tusResume.setAttribute('aria-disabled', String(action !== 'resume'));
    const offered = action === 'pause' ? tusPause : action === 'resume' ? tusResume : null;
    const focused = document.activeElement;
    if (offered && (focused === tusPause || focused === tusResume)) offered.focus();
  }
  if (manager) manager.subscribe(showActions);

  tusButton.addEventListener('click', async () => {
    if (tusButton.getAttribute('aria-disabled') === 'true') return;
    tus ??= SDK.tusTransfer({endpoint: '/api/files/tus/'});
    // Its name changes every time: the server would otherwise finish the previous one at once.
    const name = `large-video-${Date.now().toString(36)}.mp4`;
    const file = new File([new Uint8Array(24_000_000).fill(7)], name, {type: 'video/mp4'});
    tus.throttle(rate());
    tusButton.setAttribute('aria-disabled', 'true');
    // Shown in the inline list rather than the modal, so these buttons stay within reach.
    task = SDK.uploadFiles([file], {tus, path: 'demo', manager});
    listOption.checked = true;
    listSection.hidden = false;
    list.uploadIds = [...(list.uploadIds ?? []), ...task.keys];
    listEmpty.hidden = true;
    showActions();
    tusStatus.textContent = `Sending ${name} resumably…`;
    try {
      await task;
      tusStatus.textContent = `${name}: every byte is on the server; it is being processed.`;
    } catch (error) {
      tusStatus.textContent = `${name}: ${error.message}`;
    } finally {
      task = null;
      showActions();
      tusButton.setAttribute('aria-disabled', 'false');
    }
  });
  tusPause.addEventListener('click', () => {
    if (task?.pause()) {
      showActions();
      tusStatus.textContent = 'Paused: nothing moves until you resume.';
    }
  });
  tusResume.addEventListener('click', () => {
    if (task?.resume()) {
      showActions();
      tusStatus.textContent = "Resumed from the server's offset.";
    }
  });
  tusThrottle.addEventListener('change', () => tus?.throttle(rate()));
})();

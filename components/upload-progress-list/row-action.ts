// The Pause, Resume or Retry button of a row for a file this page sends. Apart from row.ts
// because only pages that send files need it: the script tag carries it in the sibling file
// it loads with the sending code (components/script-tag/uploading.ts), which is also what
// makes the controls this button shows, so no row waits for it.
import {html} from 'lit-html';
import {controlUpload, uploadAction, type UploadAction} from '../../src/index.js';
import {rowExtras} from './row.js';

// Pause, resume or retry a file this page sends.
rowExtras.action = (entry, status, name, s) => {
  const action = (entry.phase !== 'done' || status === 'failed') && uploadAction(entry.uploadId);
  return action
    ? html`<button
        part="action ${action}"
        class="action"
        type="button"
        tabindex="-1"
        aria-label=${s.action(s[action], name)}
        value=${action}
      >
        ${s[action]}
      </button>`
    : undefined;
};

rowExtras.press = (event, id, more) => {
  const target = event.target as HTMLElement;
  const key = (event as KeyboardEvent).key;
  const button =
    event.type === 'click'
      ? target.closest<HTMLButtonElement>('.action')
      : (key === 'Enter' || (key === ' ' && !more)) &&
        target.querySelector<HTMLButtonElement>('.action');
  if (!button) return false;
  event.preventDefault();
  controlUpload(id, button.value as UploadAction);
  return true;
};

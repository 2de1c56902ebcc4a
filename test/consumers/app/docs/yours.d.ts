// What the docs' TypeScript examples leave to the reader: the page's own elements and
// values, typed as a page has them (an <input type="file">'s `files` is `FileList | null`).
// consumers.test.ts writes every ```ts and ```tsx block of the installed README and docs
// beside this file and type-checks them strictly: an example that fails under `strict` fails
// there.
import type {TusTransfer, UploadProgressManager} from 'upload-progress';
import type {UploadIds, UploadProgressList, UploadProgressModal} from 'upload-progress/components';
import type {Ref} from 'vue';
import type {Signal} from '@angular/core';

declare global {
  const input: HTMLInputElement;
  const modal: UploadProgressModal;
  const list: UploadProgressList;
  const files: File[];
  const file: File;
  const formData: FormData;
  const uploadId: string;
  const upload_id: string;
  const upload_ids: string[];
  /** The `tusTransfer()` of the example before. */
  const tus: TusTransfer;
  const uploads: UploadIds;
  const setUploads: (value: UploadIds) => void;
  const uploadsRef: Ref<UploadIds>;
  const uploadsSignal: Signal<UploadIds>;
  const manager: UploadProgressManager;
  const cancelButton: HTMLButtonElement;
  const bar: HTMLProgressElement;
  const label: HTMLElement;
  const xhr: XMLHttpRequest;
  const upload: {keys: readonly string[]};
  function getToken(): Promise<string>;
  function showError(error: unknown): void;
  function renderRow(...what: unknown[]): void;
  function done(ok: boolean): void;
}
export {};

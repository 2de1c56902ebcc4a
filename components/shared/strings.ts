/**
 * Every text the elements show or announce. Give a partial object to an element's
 * `strings` property to translate or reword; keys left out keep these English defaults.
 * Functions get counts as numbers (for plural rules) and everything else already
 * formatted for the element's `locale` (percentages, bytes, durations).
 *
 * @example
 * modal.strings = {close: 'Schließen', title: 'Dateien werden hochgeladen'};
 */
export interface UploadProgressStrings {
  /** Accessible name of the modal's close button. */
  close: string;
  /** Modal heading while uploads are in progress. */
  title: string;
  /** Modal heading once every upload completed or failed. */
  titleDone: string;
  /** Accessible name of the overall progress bar. */
  overall: string;
  /** Status of an upload queued for a connection. */
  waiting: string;
  /** Status of an upload whose first progress record has not arrived. */
  connecting: string;
  /** Status of a file the page is still sending (before the server has it). */
  sending: string;
  /** Status of an upload the server is processing. */
  processing: string;
  completed: string;
  failed: string;
  /** Reason shown for a failed upload that carries no error text. */
  unknownError: string;
  /** Status of a file whose sending is paused (resumable uploads). */
  paused: string;
  /** Visible labels of a row's buttons. */
  pause: string;
  resume: string;
  retry: string;
  /** Accessible name of a row's button, which says which file: "Pause photo.jpg". */
  action: (label: string, name: string) => string;
  /** A sending or processing row's status: "Processing 45%". */
  statusPercent: (status: string, percent: string) => string;
  /** A failed row's status: "Failed: disk full". */
  statusReason: (status: string, reason: string) => string;
  /** `aria-valuetext` of a bar: "45%, processing". */
  valueText: (percent: string, status: string) => string;
  /** A row's size: "1.2 MB of 5 MB". */
  size: (uploaded: string, total: string) => string;
  /** Overall progress while uploads run, shown and announced after a batch: "3 of 5 done". */
  done: (done: number, total: number) => string;
  /** Time left: "20 sec left". */
  eta: (time: string) => string;
  /** Summary once all completed: "All 5 uploaded". */
  allUploaded: (total: number) => string;
  /** Summary with failures, and announcement of many milestones: "4 uploaded, 1 failed". */
  counts: (uploaded: number, failed: number) => string;
  /** Announcement of one completed file. */
  fileUploaded: (name: string) => string;
  /** Announcement of one failed file. */
  fileFailed: (name: string, reason: string) => string;
  /** Uploads neither settled nor waiting, in the counts by status. */
  inProgress: string;
  /** One count by status: "Completed 40". */
  count: (status: string, count: number) => string;
  /** Accessible name of the filter buttons' group. */
  filter: string;
  /** The filter button showing every upload: "All (1,000)". */
  showAll: (count: number) => string;
  /** The filter button showing only failed uploads: "Failed (3)". */
  showFailed: (count: number) => string;
  /** The button that unfolds a long failure reason clamped to a few lines. */
  more: string;
  /** The button that folds it again. */
  less: string;
}

// One formatter, made on first use: `toLocaleString('en')` builds one per call (~20 µs in
// Chromium, several a frame for the counts).
let english: Intl.NumberFormat | undefined;
const n = (value: number) => (english ??= new Intl.NumberFormat('en')).format(value);
/** "Pause photo.jpg", "Processing 45%". */
const spaced = (a: string, b: string) => `${a} ${b}`;

/** The English texts; see {@link UploadProgressStrings}. */
export const defaultStrings: Readonly<UploadProgressStrings> = {
  close: 'Close',
  title: 'Uploading files',
  titleDone: 'Uploads finished',
  overall: 'Overall progress',
  waiting: 'Waiting',
  connecting: 'Connecting',
  sending: 'Sending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  unknownError: 'Unknown error',
  paused: 'Paused',
  pause: 'Pause',
  resume: 'Resume',
  retry: 'Retry',
  action: spaced,
  statusPercent: spaced,
  statusReason: (status, reason) => `${status}: ${reason}`,
  valueText: (percent, status) => `${percent}, ${status.toLowerCase()}`,
  size: (uploaded, total) => `${uploaded} of ${total}`,
  done: (done, total) => `${n(done)} of ${n(total)} done`,
  eta: (time) => `${time} left`,
  allUploaded: (total) => (total === 1 ? 'Upload complete' : `All ${n(total)} uploaded`),
  counts: (uploaded, failed) =>
    failed ? `${n(uploaded)} uploaded, ${n(failed)} failed` : `${n(uploaded)} uploaded`,
  fileUploaded: (name) => `${name} uploaded`,
  fileFailed: (name, reason) => `${name} failed: ${reason}`,
  inProgress: 'In progress',
  count: (status, count) => `${status} ${n(count)}`,
  filter: 'Show',
  showAll: (count) => `All (${n(count)})`,
  showFailed: (count) => `Failed (${n(count)})`,
  more: 'Read more',
  less: 'Read less',
};

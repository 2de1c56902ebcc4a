// The one place that knows how Chromium runs on these machines: Debian's build, as root
// (hence --no-sandbox), with nothing reaching out to hosts this network refuses.
// Used by web-test-runner.config.mjs and the Node tests that drive a browser.

/** Debian's Chromium unless CHROME_PATH says otherwise. */
export const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags for headless runs. */
export const chromeArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

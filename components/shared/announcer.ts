/**
 * One polite live region for the whole page, in the light DOM: screen readers do not
 * reliably hear live regions inside shadow roots, and several regions talking at once
 * drown each other out. Elements prepare it when they connect (a region must exist
 * before its text changes to be heard) and announce milestones through it.
 */
let region: HTMLElement | undefined;
let last = '';
let lastAt = -Infinity;

/** The page's live region, made on first use. */
export function liveRegion(): HTMLElement {
  if (!region?.isConnected) {
    region = document.createElement('div');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('data-upload-progress-announcer', '');
    // Visually hidden, still read: no display:none or visibility:hidden.
    region.style.cssText =
      'position:absolute;inline-size:1px;block-size:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap';
    document.body.append(region);
  }
  return region;
}

/**
 * Says `message` once. The same message within 3 s is dropped: a list and a modal showing
 * the same uploads reach the same milestones at the same time.
 */
export function announce(message: string): void {
  const now = performance.now();
  if (!message || (message === last && now - lastAt < 3000)) return;
  last = message;
  lastAt = now;
  // A new node rather than new text: an identical message later is still an addition.
  const node = document.createElement('p');
  node.textContent = message;
  liveRegion().replaceChildren(node);
}

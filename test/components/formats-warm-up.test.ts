import {expect} from '@esm-bundle/chai';

// The first Intl.NumberFormat of a page costs ~25 ms in Chromium: the elements make their
// formats in an idle moment after they are defined, not in the task that first shows
// uploads. (This file imports the elements itself, after counting is in place.)
describe('number formats made ahead of the first render', () => {
  it('are made in the first idle moment after the elements are defined, before any element exists', async () => {
    const Original = Intl.NumberFormat;
    let made = 0;
    const Counting = function (...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      made++;
      return new Original(...args);
    } as unknown as typeof Intl.NumberFormat;
    Intl.NumberFormat = Counting;
    try {
      // The list (and so the modal, which imports it) formats numbers; the bar shows none.
      await import('../../components/upload-progress-list/upload-progress-list.js');
      expect(customElements.get('upload-progress-list')).to.exist;
      expect(made, 'nothing made while defining').to.equal(0);
      await new Promise((resolve) => requestIdleCallback(resolve));
      await new Promise((resolve) => setTimeout(resolve));
      expect(made, 'formats made once the page was idle').to.be.greaterThan(0);
      expect(document.querySelector('upload-progress-list')).to.equal(null);
    } finally {
      Intl.NumberFormat = Original;
    }
  });
});

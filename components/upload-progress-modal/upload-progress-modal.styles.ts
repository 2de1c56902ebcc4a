import {css} from '../shared/base-element.js';

// At 480 px and below: a full-width sheet from the bottom, sized in dvh so the browser's
// bars do not cut it off, padded clear of the home indicator.
export default css`
  dialog {
    box-sizing: border-box;
    inline-size: var(--upload-progress-width, 32rem);
    max-inline-size: calc(100% - 2rem);
    max-block-size: calc(100vh - 2rem);
    max-block-size: calc(100dvh - 2rem);
    padding: 0;
    border: 1px solid transparent;
    border-radius: var(--upload-progress-dialog-radius, 0.75rem);
    color-scheme: light dark;
    background: var(--upload-progress-background, Canvas);
    color: var(--upload-progress-color, CanvasText);
    box-shadow: 0 1rem 3rem rgb(0 0 0 / 0.3);
    overflow: hidden;
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: var(--upload-progress-backdrop, rgb(0 0 0 / 0.45));
  }
  .panel {
    display: flex;
    flex-direction: column;
    flex: auto;
    min-block-size: 0;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding-block: 0.5rem;
    padding-inline: 1.25rem 0.5rem;
    border-block-end: 1px solid color-mix(in srgb, currentColor 15%, transparent);
  }
  .title {
    flex: auto;
    min-inline-size: 0;
    margin: 0;
    font-size: 1.125rem;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }
  .title:focus {
    outline: none;
  }
  .close {
    display: grid;
    place-items: center;
    flex: none;
    min-inline-size: 44px;
    min-block-size: 44px;
    padding: 0;
    border: 0;
    border-radius: 0.5rem;
    background: none;
    color: inherit;
    cursor: pointer;
  }
  /* The icon is text (the list's failed icon too): the button's name is its aria-label. */
  .close::before {
    content: '\\2715';
    font-size: 1.25rem;
  }
  .close:hover {
    background: color-mix(in srgb, currentColor 10%, transparent);
  }
  .close:focus-visible {
    outline: 2px solid;
    outline-offset: -4px;
  }
  /* The list's rows scroll inside it, below its overall section: it takes what the dialog
     leaves, however many uploads. */
  .body {
    --upload-progress-list-height: none;
    flex: auto;
    min-block-size: 0;
    overflow: hidden;
    padding: 1rem 1.25rem 1.25rem;
  }
  @media (max-width: 480px) {
    dialog {
      inline-size: 100%;
      max-inline-size: 100%;
      max-block-size: 85vh;
      max-block-size: 85dvh;
      margin-block-end: 0;
      border-end-start-radius: 0;
      border-end-end-radius: 0;
    }
    .body {
      padding-inline: 1rem;
      padding-block-end: max(1rem, env(safe-area-inset-bottom));
    }
  }
  @media (prefers-color-scheme: dark) {
    dialog {
      box-shadow: 0 1rem 3rem rgb(0 0 0 / 0.6);
    }
    dialog::backdrop {
      background: var(--upload-progress-backdrop, rgb(0 0 0 / 0.65));
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    dialog[open] {
      animation: upload-progress-in 0.18s ease-out;
    }
    @keyframes upload-progress-in {
      from {
        opacity: 0;
        transform: translateY(1rem);
      }
    }
  }
  @media (forced-colors: active) {
    dialog {
      border-color: CanvasText;
    }
    .close {
      border: 1px solid ButtonText;
    }
  }
`;

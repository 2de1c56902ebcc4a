/**
 * Bidi and invisible format characters: embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), marks (U+200E, U+200F, U+061C), and characters that take no space
 * (U+00AD, U+180E, U+200B, U+2060–U+2064, U+FEFF). Joiners (U+200C, U+200D) stay: emoji
 * and several scripts need them, and they reorder nothing.
 */
const HIDDEN =
  /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A server's text (a filename, an error) as it may be shown and announced: without the
 * characters that reorder or hide what is around them, so `invoice\u202Egnp.exe` reads
 * "invoicegnp.exe", what the file really is, and not "invoiceexe.png". Show it inside a
 * `<bdi>` (or `unicode-bidi: isolate`) so a right-to-left name cannot move the text beside it.
 *
 * @example
 * html`<bdi>${visibleText(progress.filename)}</bdi>`
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, '');
}

/**
 * A server's text as shown and announced, or `fallback` when it has none: an upload's name
 * (else its id), a failed upload's reason (else the "Unknown error" string).
 */
export const visibleOr = (text: string | null | undefined, fallback: string): string =>
  visibleText(text || fallback);

import type {Plugin} from 'rollup';

/** Minifies Lit's css`` and collapses html`` whitespace at build time (see the .mjs). */
export declare function minifyTemplates(options?: {include?: (id: string) => boolean}): Plugin;

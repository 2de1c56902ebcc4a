import type {Plugin} from 'rollup';

/** Minifies each chunk (esbuild, then terser) and moves licence comments beside it (see the .mjs). */
export declare function minifyChunk(options: {target: string; internal?: string[]}): Plugin;

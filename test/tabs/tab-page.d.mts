import type {IncomingMessage, ServerResponse} from 'node:http';

/** The mock server's `fallback` for tab pages: `/`, the bundle, and `/small.txt`. */
export function serveTabPage(req: IncomingMessage, res: ServerResponse): void;
/** Where the built script-tag bundle is. */
export const BUNDLE_PATH: string;

/** What a tab page offers on `window.tab`. */
export interface TabHelpers {
  problems: string[];
  sawWaiting: boolean;
  upload(files: [string, number][], mock: object): Promise<string[]>;
  follow(ids: string[], options?: {multiplexUrl?: string}): void;
  whenSettled(): Promise<number>;
  snapshot(): {
    allSettled: boolean;
    waiting: number;
    pending: number;
    statuses: Record<string, string | null>;
  };
  ownRequest(): Promise<boolean>;
}

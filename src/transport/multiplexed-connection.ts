// The multiplexed stream's URL and routing: only the batch (src/manager/multiplexed-batch.ts)
// needs them, so the script tag loads them late with it. How many ids one URL takes is the
// follow queue's (takeBatch in src/manager/follow-queue.ts).

/** Statuses by which a server says it has no multiplexed endpoint. */
export const NO_MULTIPLEX_STATUSES: ReadonlySet<number> = new Set([404, 405, 501]);

/**
 * The URL following `ids` over one stream: `base` plus `ids=<id>,<id>,…`, each id
 * URL-encoded (a comma inside an id becomes `%2C`, so the list splits unambiguously).
 */
export function multiplexedUrl(base: string, ids: Iterable<string>): string {
  return `${base}${base.includes('?') ? '&' : '?'}ids=${[...ids].map(encodeURIComponent).join()}`;
}

/**
 * Which upload an event of a multiplexed stream is about (its JSON `upload_id`), and the
 * server's own words if it gave any (a `detail`, as FastAPI names it, on a `missing`
 * event); `undefined` when the data names no upload.
 */
export function routeOf(data: string): {id: string; said: string | undefined} | undefined {
  try {
    const raw = JSON.parse(data) as {upload_id?: unknown; detail?: unknown} | null;
    const said = raw?.detail;
    return typeof raw?.upload_id === 'string'
      ? {id: raw.upload_id, said: typeof said === 'string' ? said.slice(0, 200) : undefined}
      : undefined;
  } catch {
    return undefined;
  }
}

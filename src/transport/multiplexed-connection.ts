/**
 * The longest URL a multiplexed request may have. Servers and proxies commonly refuse
 * request lines past 8 KB (nginx's default buffer, Node's header limit 16 KB in all), some
 * CDNs past 4 KB or less: staying under 4 KB keeps every hop happy.
 */
export const MAX_MULTIPLEXED_URL = 4000;

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
 * Takes ids from the front of `queue` for one request, as many as keep its URL under `max`
 * characters (a relative `base` counted with the page's origin); always at least one, so an
 * id longer than that still gets a request of its own.
 */
export function takeBatch(
  base: string,
  queue: Iterable<string>,
  max = MAX_MULTIPLEXED_URL,
): string[] {
  const origin = (globalThis as {location?: {origin?: string}}).location?.origin ?? '';
  let length = base.length + (base.startsWith('/') ? origin.length : 0) + 5;
  const batch: string[] = [];
  for (const id of queue) {
    length += encodeURIComponent(id).length + 1;
    if (batch.length > 0 && length > max) break;
    batch.push(id);
  }
  return batch;
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

/** The default number of progress streams per origin over HTTP/1.1. */
export const DEFAULT_MAX_CONNECTIONS = 4;

/**
 * The default over HTTP/2 and HTTP/3, where streams share one connection and the six
 * sockets per host do not apply. Servers cap concurrent streams per connection (RFC 9113
 * asks for no less than 100; nginx says 128, Apache httpd and h2o 100), and every tab of the
 * profile shares that connection with the page's own requests: 16 progress streams leave
 * 84 of the common 100 to everything else. Beyond a few dozen uploads the multiplexed
 * stream (`multiplexUrl`) is the better answer anyway.
 */
export const MULTIPLEXED_MAX_CONNECTIONS = 16;

/** The bits of the global scope the default reads; injectable for tests. */
export interface ProtocolScope {
  location?: {origin?: string} | undefined;
  performance?: {getEntriesByType?(type: string): unknown[]} | undefined;
}

/**
 * The default `maxConnections` for streams to `origin`: {@link MULTIPLEXED_MAX_CONNECTIONS}
 * when `origin` is the page's own and the page itself came over HTTP/2 or HTTP/3
 * (navigation timing's `nextHopProtocol`), else {@link DEFAULT_MAX_CONNECTIONS}: a
 * cross-origin server's protocol cannot be known before connecting, so it is taken to be
 * HTTP/1.1.
 */
export function defaultMaxConnections(
  origin: string,
  scope: ProtocolScope = globalThis as ProtocolScope,
): number {
  if (!origin || origin !== scope.location?.origin) return DEFAULT_MAX_CONNECTIONS;
  try {
    const [entry] = scope.performance?.getEntriesByType?.('navigation') ?? [];
    const protocol = (entry as {nextHopProtocol?: string} | undefined)?.nextHopProtocol ?? '';
    // `h2`, `h3`, and drafts such as `h3-29`.
    return /^h[23]/.test(protocol) ? MULTIPLEXED_MAX_CONNECTIONS : DEFAULT_MAX_CONNECTIONS;
  } catch {
    return DEFAULT_MAX_CONNECTIONS;
  }
}

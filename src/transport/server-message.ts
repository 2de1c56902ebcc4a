// The server's own words on a refused progress request: read only on a failure path, so the
// script tag loads this module late (rollup.config.mjs, `lazy`).
import {clip} from './classify-response.js';

/**
 * Reads a short human message from an error answer: FastAPI's `{"detail": "..."}`, a
 * `message` or `error` field, or a short plain-text body. Bounded in size and time, since a
 * broken server may send headers and then nothing.
 */
export async function readServerMessage(
  response: Response,
  timeoutMs = 1000,
): Promise<string | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !/json|text\/plain/i.test(type)) {
    void response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  try {
    while (text.length < 2048) {
      const result = await Promise.race([reader.read(), timeout.then(() => null)]);
      if (result === null || result.done) break;
      text += decoder.decode(result.value, {stream: true});
    }
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    void reader.cancel().catch(() => undefined);
  }
  return extractMessage(text);
}

function extractMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed && typeof parsed === 'object') {
      for (const key of ['detail', 'message', 'error'] as const) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string' && value) return clip(value);
      }
    }
    return undefined;
  } catch {
    return trimmed.startsWith('<') ? undefined : clip(trimmed);
  }
}

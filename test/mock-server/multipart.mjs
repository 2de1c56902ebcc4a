// Reads a multipart/form-data request body without dependencies: the bytes are fed to
// the platform's own parser (`Request#formData`), counted on the way so an oversized
// body is refused, and a client that disconnects mid-body is noticed.

/** @typedef {'too-large' | 'aborted' | 'malformed'} BodyErrorKind */

export class BodyError extends Error {
  /**
   * @param {BodyErrorKind} kind
   * @param {string} message
   */
  constructor(kind, message) {
    super(message);
    this.name = 'BodyError';
    /** @type {BodyErrorKind} */
    this.kind = kind;
  }
}

/** @param {number} bytes */
function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * @param {import('node:http').IncomingMessage} req A request whose content type is multipart/form-data.
 * @param {number} maxBytes The largest body accepted.
 * @returns {Promise<FormData>}
 */
export async function readMultipart(req, maxBytes) {
  const tooLarge = () =>
    new BodyError(
      'too-large',
      `Request body too large: the limit is ${formatBytes(maxBytes)} per request`,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  /** @type {BodyError | undefined} */
  let failure;
  let received = 0;
  const body = new ReadableStream({
    start(controller) {
      /** @param {BodyError} error */
      const fail = (error) => {
        if (failure) return;
        failure = error;
        controller.error(error);
      };
      req.on('data', (/** @type {Buffer} */ chunk) => {
        if (failure) return;
        received += chunk.length;
        // Past the limit the rest is still read and dropped, so the 413 reaches a client
        // that is still sending instead of a reset connection.
        if (received > maxBytes) fail(tooLarge());
        else controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      req.on('end', () => {
        if (!failure) controller.close();
      });
      req.on('error', () => fail(new BodyError('aborted', 'Client disconnected during upload')));
      req.on('close', () => {
        if (!req.complete) fail(new BodyError('aborted', 'Client disconnected during upload'));
      });
    },
  });

  /** @type {RequestInit & {duplex: 'half'}} Node requires `duplex` for a streamed body. */
  const init = {
    method: 'POST',
    headers: {'content-type': String(req.headers['content-type'])},
    body,
    duplex: 'half',
  };
  const request = new Request('http://mock.invalid/api/files/upload', init);
  try {
    return await request.formData();
  } catch (error) {
    if (failure) throw failure;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BodyError('malformed', `Malformed multipart body: ${reason}`);
  }
}

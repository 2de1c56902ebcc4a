/** A `multipart/form-data` body with the byte range of every file in it. */
export interface MultipartBody {
  body: Blob;
  /** `multipart/form-data; boundary=…`, the request's `Content-Type`. */
  contentType: string;
  /** Per file, in order: where its bytes start and end (exclusive) in `body`. */
  ranges: {start: number; end: number}[];
}

/** Text fields: a value, or several values sent as repeated fields. */
export type MultipartFields = Record<string, string | readonly string[]>;

const encoder = new TextEncoder();

/**
 * Builds the body a browser would build for a `FormData` of `fields` then `files` (each as a
 * `name` field), but knowing the boundary, so the offset of every file in it is exact: a
 * progress event's `loaded` then tells how much of each file has been sent.
 *
 * Encoded as the HTML standard's multipart/form-data algorithm does: names and filenames are
 * UTF-8 with `"`, CR and LF percent-encoded, and text values have their line breaks
 * normalised to CRLF.
 *
 * @example
 * const {body, contentType, ranges} = multipartBody([file], 'files', {path: 'docs'});
 * xhr.setRequestHeader('Content-Type', contentType);
 * xhr.upload.onprogress = (e) => console.log(Math.max(0, e.loaded - ranges[0].start));
 */
export function multipartBody(
  files: readonly Blob[],
  name: string,
  fields: MultipartFields = {},
): MultipartBody {
  const boundary = `----UploadProgressBoundary${randomHex(24)}`;
  const parts: BlobPart[] = [];
  const ranges: {start: number; end: number}[] = [];
  let offset = 0;
  const text = (value: string) => {
    const bytes = encoder.encode(value);
    parts.push(bytes);
    offset += bytes.length;
  };
  for (const [field, value] of Object.entries(fields)) {
    for (const one of typeof value === 'string' ? [value] : value) {
      text(
        `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(field)}"\r\n\r\n` +
          `${one.replace(/\r\n|\r|\n/g, '\r\n')}\r\n`,
      );
    }
  }
  for (const file of files) {
    const filename = nameOf(file);
    text(
      `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; ` +
        `filename="${escapeName(filename)}"\r\n` +
        `Content-Type: ${file.type || 'application/octet-stream'}\r\n\r\n`,
    );
    parts.push(file);
    ranges.push({start: offset, end: offset + file.size});
    offset += file.size;
    text('\r\n');
  }
  text(`--${boundary}--\r\n`);
  const contentType = `multipart/form-data; boundary=${boundary}`;
  return {body: new Blob(parts, {type: contentType}), contentType, ranges};
}

function escapeName(value: string): string {
  return value.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.random().toString(16).slice(2);
  return out.slice(0, length);
}

/** A file's name; a `Blob` (no name) is sent as `blob`. */
export function nameOf(file: Blob): string {
  return typeof File === 'function' && file instanceof File ? file.name : 'blob';
}

// UploadProgressError on its own: what it carries and how its kind is classed.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {UploadProgressError, type UploadProgressErrorKind} from '../../src/errors.js';

describe('UploadProgressError', () => {
  it('carries its kind, message, details and cause', () => {
    const cause = new TypeError('boom');
    const error = new UploadProgressError('rate-limited', 'slow down', {
      uploadId: 'u1',
      status: 429,
      attempt: 3,
      retryAfter: 2000,
      data: '{"x"',
      cause,
    });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'UploadProgressError');
    assert.equal(error.message, 'slow down');
    assert.deepEqual(
      {
        kind: error.kind,
        uploadId: error.uploadId,
        status: error.status,
        attempt: error.attempt,
        retryAfter: error.retryAfter,
        data: error.data,
      },
      {
        kind: 'rate-limited',
        uploadId: 'u1',
        status: 429,
        attempt: 3,
        retryAfter: 2000,
        data: '{"x"',
      },
    );
    assert.equal(error.cause, cause);
  });

  it('leaves what it was not given undefined, and has no cause then', () => {
    const error = new UploadProgressError('not-found', 'gone', {uploadId: 'u2'});
    assert.equal(error.uploadId, 'u2');
    assert.equal(error.status, undefined);
    assert.equal(error.retryAfter, undefined);
    assert.equal('cause' in error, false);
  });

  it('classes each kind: transient ones reconnect, reported ones go on, the rest are final', () => {
    const transient: UploadProgressErrorKind[] = [
      'network',
      'server-error',
      'rate-limited',
      'stream-ended',
      'idle-timeout',
      'connect-timeout',
      'event-too-large',
    ];
    const reported: UploadProgressErrorKind[] = ['malformed-event', 'foreign-event'];
    const final: UploadProgressErrorKind[] = ['not-found', 'unauthorized', 'upload-network'];
    const classed = (kind: UploadProgressErrorKind) => {
      const error = new UploadProgressError(kind, kind, {uploadId: ''});
      return [error.transient, error.final];
    };
    for (const kind of transient) assert.deepEqual(classed(kind), [true, false], kind);
    for (const kind of reported) assert.deepEqual(classed(kind), [false, false], kind);
    for (const kind of final) assert.deepEqual(classed(kind), [false, true], kind);
  });
});

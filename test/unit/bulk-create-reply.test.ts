import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkCreateReply } from '../../functions/create/bulk-reply.js';
import { newDocument } from '../../shared/domain/document.js';
import { DocumentAlreadyExistsError, NotAttemptedError, UnavailableError } from '../../shared/domain/errors.js';

/** The headers of a bulk create's 200, from item outcomes as the bulkCreate use case returns them. */
const created = { document: newDocument('c', 'a', {}, new Date('2026-01-01T00:00:00.000Z')) };

test('items that failed 503 with different waits: the 200 carries the longest as Retry-After', () => {
  const { results, headers } = bulkCreateReply([
    created,
    { error: new UnavailableError('the store did not answer', 1) },
    { error: new UnavailableError('the store is failing; calls are paused while it recovers', 30) },
    { error: new DocumentAlreadyExistsError('c', 'b') },
  ]);
  assert.equal(results.map((result) => result.status), [201, 503, 503, 409]);
  assert.equal(headers, { 'Retry-After': '30' });
});

test('items that failed without a 503 (409, 424): the 200 carries no Retry-After', () => {
  const { results, headers } = bulkCreateReply([created, { error: new DocumentAlreadyExistsError('c', 'b') }, { error: new NotAttemptedError(1) }]);
  assert.equal(results.map((result) => result.status), [201, 409, 424]);
  assert.equal(headers, {});
});

test.run();

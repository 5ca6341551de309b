import { MongoNetworkError, MongoServerError } from 'mongodb';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentNotFoundError, InvalidInputError, UnavailableError } from '../../shared/domain/errors.js';
import { isDuplicateKey, toStoreError } from '../../shared/infrastructure/mongodb/mongo-errors.js';

const serverError = (code: number) => new MongoServerError({ ok: 0, code, errmsg: `code ${code}` });

test('a network error from the driver becomes UnavailableError, keeping it as the cause', () => {
  const cause = new MongoNetworkError('connection reset');
  const mapped = toStoreError(cause);
  assert.instance(mapped, UnavailableError);
  assert.is((mapped as UnavailableError).cause, cause);
});

test('a socket ended by the server, leaked by the driver as a plain EPIPE error, becomes UnavailableError', () => {
  const leaked = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
  assert.instance(toStoreError(leaked), UnavailableError);
});

test('a server shutting down or stepping down becomes UnavailableError', () => {
  for (const code of [91, 189, 10107, 11600]) assert.instance(toStoreError(serverError(code)), UnavailableError, `code ${code}`);
});

test('a server error about the request itself is not turned into UnavailableError', () => {
  const badValue = serverError(2);
  assert.is(toStoreError(badValue), badValue);
});

test('data with arrays on two paths of one index (CannotIndexParallelArrays) becomes InvalidInputError naming data', () => {
  const mapped = toStoreError(new MongoServerError({ ok: 0, code: 171, errmsg: 'cannot index parallel arrays [b] [a]' }));
  assert.instance(mapped, InvalidInputError);
  assert.equal((mapped as InvalidInputError).violations, [{ path: 'data', message: 'cannot index parallel arrays [b] [a]' }]);
});

test('domain errors pass through unchanged', () => {
  const missing = new DocumentNotFoundError('c', 'id');
  assert.is(toStoreError(missing), missing);
});

test('a duplicate key is told apart from other server errors', () => {
  assert.ok(isDuplicateKey(serverError(11000)));
  assert.not.ok(isDuplicateKey(serverError(2)));
});

test.run();

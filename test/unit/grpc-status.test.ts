import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status } from '@grpc/grpc-js';
import { DocumentNotFoundError, DuplicateKeyError, IdempotencyKeyReusedError, InvalidInputError, QueryTimeoutError, UnavailableError } from '../../shared/domain/errors.js';
import { toProblem } from '../../shared/runtime/http/problem.js';
import { GRPC_STATUS_BY_OUTCOME, grpcStatusOf, outcomeOf, refusalOf } from '../../grpc-sidecar/grpc-status.js';
import { FunctionCallFailedError, toGrpcError } from '../../grpc-sidecar/grpc-error.js';

const EXPECTED: Array<[number | 'timeout' | 'cancelled', status]> = [
  [400, status.INVALID_ARGUMENT],
  [401, status.UNAUTHENTICATED],
  [403, status.PERMISSION_DENIED],
  [404, status.NOT_FOUND],
  [409, status.ALREADY_EXISTS],
  [412, status.ABORTED],
  [413, status.INVALID_ARGUMENT],
  [415, status.INVALID_ARGUMENT],
  [431, status.INVALID_ARGUMENT],
  [429, status.RESOURCE_EXHAUSTED],
  [500, status.INTERNAL],
  [502, status.UNAVAILABLE],
  [503, status.UNAVAILABLE],
  [504, status.DEADLINE_EXCEEDED],
  ['timeout', status.DEADLINE_EXCEEDED],
  ['cancelled', status.CANCELLED],
];

for (const [outcome, code] of EXPECTED) {
  test(`${outcome} maps to ${status[code]}`, () => {
    assert.is(status[grpcStatusOf(outcome)], status[code]);
  });
}

test('the table has exactly the rows of the contract', () => {
  assert.equal([...GRPC_STATUS_BY_OUTCOME.keys()].map(String).sort(), EXPECTED.map(([outcome]) => String(outcome)).sort());
});

test('a status outside the table maps to UNKNOWN, not to a neighbour', () => {
  assert.is(grpcStatusOf(418), status.UNKNOWN);
  assert.is(grpcStatusOf(422), status.UNKNOWN);
});

test('the message is the problem detail', () => {
  const body = JSON.stringify({ type: 'urn:dbsvc:problem:not-found', title: 'Not found', status: 404, detail: "document 'x' does not exist" });
  assert.equal(refusalOf(404, body), { message: "document 'x' does not exist", errors: [] });
});

test('a problem without a detail gives its title; a body that is not a problem gives the status', () => {
  assert.is(refusalOf(429, JSON.stringify({ title: 'Rate limited', status: 429 })).message, 'Rate limited');
  assert.is(refusalOf(502, '<html>Bad Gateway</html>').message, 'HTTP 502');
  assert.is(refusalOf(503, 'null').message, 'HTTP 503');
});

test("a 404 that is not a problem is a proxy's with no route to the function: UNAVAILABLE, not NOT_FOUND", () => {
  for (const body of ['', '404 page not found', '<html>Not Found</html>', '{}']) {
    assert.is(status[grpcStatusOf(outcomeOf(404, body))], 'UNAVAILABLE', JSON.stringify(body));
    assert.match(refusalOf(404, body).message, 'not the function');
  }
});

test("a function's own 404 problem stays NOT_FOUND", () => {
  const body = JSON.stringify({ type: 'urn:dbsvc:problem:not-found', title: 'Not found', status: 404, detail: "document 'x' does not exist" });
  assert.is(status[grpcStatusOf(outcomeOf(404, body))], 'NOT_FOUND');
});

test("a problem's errors are kept, and members that are not {path, message} left out", () => {
  const errors = [{ path: 'body.limit', message: 'must be at least 1' }, { path: 7 }, 'limit', null];
  assert.equal(refusalOf(400, JSON.stringify({ detail: 'body.limit: must be at least 1', errors })).errors, [
    { path: 'body.limit', message: 'must be at least 1' },
  ]);
});

/** A function's 400 over `errors`, its detail their text as `parseInput` writes it. */
function invalid(errors: Array<{ path: string; message: string }>, detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ')) {
  return FunctionCallFailedError.fromReply({ status: 400, text: JSON.stringify({ title: 'Invalid input', status: 400, detail, errors }), retryAfter: undefined });
}

test("an invalid argument names each wrong field in the request message's terms", () => {
  const failed = invalid([
    { path: 'body.maxTimeMs', message: 'must be at least 1' },
    { path: 'body.limit', message: 'must be at most 1000' },
  ]);
  const error = toGrpcError(failed, new Map([['maxTimeMs', 'max_time_ms']]));
  assert.is(error.code, status.INVALID_ARGUMENT);
  assert.is(error.details, 'max_time_ms: must be at least 1; limit: must be at most 1000');
});

test('context a detail puts before its errors is kept (the document a bulk update stopped at)', () => {
  const errors = [{ path: 'update.$inc.s', message: 'not a number' }];
  const error = toGrpcError(invalid(errors, "document 'o' (0 changed before it): update.$inc.s: not a number"));
  assert.is(error.details, "document 'o' (0 changed before it): update.$inc.s: not a number");
});

test('a detail that says its errors in other words gives way to them', () => {
  const errors = [{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }];
  const error = toGrpcError(invalid(errors, 'Idempotency-Key must be 1 to 255 visible ASCII characters'), new Map([['Idempotency-Key', 'idempotency_key']]));
  assert.is(error.details, 'idempotency_key: must be 1 to 255 visible ASCII characters');
});

/** A function's 413 (too large), which names no path of its own. */
const tooLarge = (detail: string) => FunctionCallFailedError.fromReply({ status: 413, text: JSON.stringify({ title: 'Payload too large', status: 413, detail }), retryAfter: undefined });

test('a 413 names the field the RPC sends as its body, before the detail', () => {
  const error = toGrpcError(tooLarge('body exceeds MAX_BODY_BYTES (65536 bytes)'), new Map([['body', 'documents']]));
  assert.is(error.code, status.INVALID_ARGUMENT);
  assert.is(error.details, 'documents: body exceeds MAX_BODY_BYTES (65536 bytes)');
});

test('a 413 of an RPC whose body is no one field keeps its detail', () => {
  assert.is(toGrpcError(tooLarge('body exceeds MAX_BODY_BYTES (65536 bytes)')).details, 'body exceeds MAX_BODY_BYTES (65536 bytes)');
});

test('an invalid argument without errors keeps its detail', () => {
  const failed = FunctionCallFailedError.fromReply({ status: 415, text: JSON.stringify({ detail: 'expected application/json' }), retryAfter: undefined });
  assert.is(toGrpcError(failed, new Map([['body', 'data']])).details, 'expected application/json');
});

test('a reused idempotency key (409) names idempotency_key, not the Idempotency-Key header', () => {
  const { problem } = toProblem(new IdempotencyKeyReusedError('signup-42'));
  const failed = FunctionCallFailedError.fromReply({ status: problem.status, text: JSON.stringify(problem), retryAfter: undefined });
  const error = toGrpcError(failed, new Map([['Idempotency-Key', 'idempotency_key']]));
  assert.is(error.code, status.ALREADY_EXISTS);
  assert.is(error.details, 'idempotency_key: was already used with a different request');
});

test("the sidecar's own invalid input names fields through the same table", () => {
  const own = new InvalidInputError('Idempotency-Key must be 1 to 255 visible ASCII characters', [
    { path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
  ]);
  assert.is(toGrpcError(own, new Map([['Idempotency-Key', 'idempotency_key']])).details, 'idempotency_key: must be 1 to 255 visible ASCII characters');
});

test('a failed function answer becomes its mapped status with the detail and Retry-After as metadata', () => {
  const failed = FunctionCallFailedError.fromReply({ status: 503, text: JSON.stringify({ detail: 'store is down' }), retryAfter: '3' });
  const error = toGrpcError(failed);
  assert.is(error.code, status.UNAVAILABLE);
  assert.is(error.details, 'store is down');
  assert.equal(error.metadata.get('retry-after'), ['3']);
});

test("the sidecar's own failures take the problem road: invalid input, unreachable function, anything else", () => {
  assert.is(toGrpcError(new InvalidInputError('collection must match')).code, status.INVALID_ARGUMENT);
  assert.is(toGrpcError(new DocumentNotFoundError('c', 'x')).code, status.NOT_FOUND);
  const unreachable = toGrpcError(new UnavailableError("function 'get' is not reachable", 2));
  assert.is(unreachable.code, status.UNAVAILABLE);
  assert.equal(unreachable.metadata.get('retry-after'), ['2']);
  const internal = toGrpcError(new TypeError('secret internals'));
  assert.is(internal.code, status.INTERNAL);
  assert.not.match(internal.details, /secret/);
});

test('no answer before the deadline is DEADLINE_EXCEEDED with the reason', () => {
  const error = toGrpcError(new FunctionCallFailedError('timeout', "function 'get' did not answer within 200 ms"));
  assert.is(error.code, status.DEADLINE_EXCEEDED);
  assert.is(error.details, "function 'get' did not answer within 200 ms");
});

test('a call its caller cancelled is CANCELLED, not an internal error', () => {
  const error = toGrpcError(new FunctionCallFailedError('cancelled', "the call to function 'get' was cancelled"));
  assert.is(status[error.code], 'CANCELLED');
});

test('a query stopped at its time limit (503 query-timeout) is DEADLINE_EXCEEDED; any other 503 stays UNAVAILABLE', () => {
  const timedOut = toProblem(new QueryTimeoutError(5));
  assert.is(timedOut.problem.status, 503);
  assert.is(timedOut.problem.type, 'urn:dbsvc:problem:query-timeout');
  assert.is(timedOut.headers['Retry-After'], '1');
  const reply = (status: number, problem: object) => ({ status, text: JSON.stringify(problem), retryAfter: '1' });
  assert.is(toGrpcError(FunctionCallFailedError.fromReply(reply(503, timedOut.problem))).code, status.DEADLINE_EXCEEDED);
  const down = toProblem(new UnavailableError('the store is down')).problem;
  assert.is(toGrpcError(FunctionCallFailedError.fromReply(reply(503, down))).code, status.UNAVAILABLE);
});

test('a duplicate key is 409 urn:dbsvc:problem:duplicate-key naming the index, ALREADY_EXISTS over gRPC', () => {
  const { problem } = toProblem(new DuplicateKeyError('users', 'by_email', 'ada'));
  assert.equal([problem.status, problem.type], [409, 'urn:dbsvc:problem:duplicate-key']);
  assert.match(problem.detail, /by_email/);
  assert.is(grpcStatusOf(problem.status), status.ALREADY_EXISTS);
});

test.run();

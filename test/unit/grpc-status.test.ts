import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status } from '@grpc/grpc-js';
import { DocumentNotFoundError, DuplicateKeyError, InvalidInputError, QueryTimeoutError, UnavailableError } from '../../shared/domain/errors.js';
import { toProblem } from '../../shared/runtime/http/problem.js';
import { GRPC_STATUS_BY_OUTCOME, grpcMessageOf, grpcStatusOf } from '../../grpc-sidecar/grpc-status.js';
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
  assert.is(grpcMessageOf(404, body), "document 'x' does not exist");
});

test('a problem without a detail gives its title; a body that is not a problem gives the status', () => {
  assert.is(grpcMessageOf(429, JSON.stringify({ title: 'Rate limited', status: 429 })), 'Rate limited');
  assert.is(grpcMessageOf(502, '<html>Bad Gateway</html>'), 'HTTP 502');
  assert.is(grpcMessageOf(503, 'null'), 'HTTP 503');
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

test.run();

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

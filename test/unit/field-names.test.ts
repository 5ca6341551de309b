import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inGrpcFields, SAME_NAMES } from '../../grpc-sidecar/field-names.js';

const pathIn = (path: string, fields: ReadonlyMap<string, string> = SAME_NAMES) => inGrpcFields([{ path, message: 'is wrong' }], fields)[0]!.path;

test('a REST body member is a field of the request message: its body. root goes', () => {
  assert.is(pathIn('body.limit'), 'limit');
  assert.is(pathIn('body.data.a.__proto__'), 'data.a.__proto__');
});

test('a REST query parameter is a field of the request message: its query. root goes', () => {
  assert.is(pathIn('query.upsert'), 'upsert');
});

test('a path no entry names is kept as it is', () => {
  assert.is(pathIn('filter.a.$in', new Map([['patch', 'merge_patch']])), 'filter.a.$in');
  assert.is(pathIn('body'), 'body');
});

test('a renamed field is renamed at the start of the path, the rest kept', () => {
  const fields = new Map([['patch', 'merge_patch']]);
  assert.is(pathIn('patch', fields), 'merge_patch');
  assert.is(pathIn('patch.a.$x', fields), 'merge_patch.a.$x');
});

test('a header name is renamed to the field it came from', () => {
  assert.is(pathIn('Idempotency-Key', new Map([['Idempotency-Key', 'idempotency_key']])), 'idempotency_key');
});

test('an entry matches whole segments only, not a longer name that starts like it', () => {
  const fields = new Map([['keys', 'index.keys']]);
  assert.is(pathIn('keysExtra', fields), 'keysExtra');
  assert.is(pathIn('keys[2]', fields), 'index.keys[2]');
});

test('the longest entry a path starts with wins, so a list item is named where its key is', () => {
  const fields = new Map([
    ['keys', 'index.keys'],
    ['keys.a', 'index.keys[0].path'],
    ['keys.a.b', 'index.keys[1].path'],
  ]);
  assert.is(pathIn('keys', fields), 'index.keys');
  assert.is(pathIn('keys.a', fields), 'index.keys[0].path');
  assert.is(pathIn('keys.a.b', fields), 'index.keys[1].path');
});

test('an entry is looked up after the REST root goes', () => {
  assert.is(pathIn('body.maxTimeMs', new Map([['maxTimeMs', 'max_time_ms']])), 'max_time_ms');
});

test('every violation keeps its message, in its order', () => {
  const errors = [
    { path: 'body.limit', message: 'must be at least 1' },
    { path: 'body.maxTimeMs', message: 'expected number' },
  ];
  assert.equal(inGrpcFields(errors, new Map([['maxTimeMs', 'max_time_ms']])), [
    { path: 'limit', message: 'must be at least 1' },
    { path: 'max_time_ms', message: 'expected number' },
  ]);
});

test.run();

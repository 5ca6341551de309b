import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import { JsonPatchTestFailedError } from '../../shared/domain/errors.js';
import { applyJsonPatch, validateJsonPatch } from '../../shared/domain/json-patch.js';

/**
 * RFC 6902 Appendix A, every example, and the RFC 6901 §5 pointer examples. The RFC's documents and patches
 * are written here as JSON text, exactly as the RFC prints them.
 */

function patched(document: string, patch: string): JsonObject {
  return applyJsonPatch(JSON.parse(document) as JsonObject, validateJsonPatch(JSON.parse(patch)));
}

function throwsFrom(document: string, patch: string): unknown {
  try {
    patched(document, patch);
  } catch (error) {
    return error;
  }
  assert.unreachable('the patch should have failed');
  throw new Error('unreachable');
}

test('A.1 Adding an Object Member', () => {
  assert.equal(patched('{ "foo": "bar"}', '[ { "op": "add", "path": "/baz", "value": "qux" } ]'), { baz: 'qux', foo: 'bar' });
});

test('A.2 Adding an Array Element', () => {
  assert.equal(patched('{ "foo": [ "bar", "baz" ] }', '[ { "op": "add", "path": "/foo/1", "value": "qux" } ]'), { foo: ['bar', 'qux', 'baz'] });
});

test('A.3 Removing an Object Member', () => {
  assert.equal(patched('{ "baz": "qux", "foo": "bar" }', '[ { "op": "remove", "path": "/baz" } ]'), { foo: 'bar' });
});

test('A.4 Removing an Array Element', () => {
  assert.equal(patched('{ "foo": [ "bar", "qux", "baz" ] }', '[ { "op": "remove", "path": "/foo/1" } ]'), { foo: ['bar', 'baz'] });
});

test('A.5 Replacing a Value', () => {
  assert.equal(patched('{ "baz": "qux", "foo": "bar" }', '[ { "op": "replace", "path": "/baz", "value": "boo" } ]'), { baz: 'boo', foo: 'bar' });
});

test('A.6 Moving a Value', () => {
  const document = '{ "foo": { "bar": "baz", "waldo": "fred" }, "qux": { "corge": "grault" } }';
  const patch = '[ { "op": "move", "from": "/foo/waldo", "path": "/qux/thud" } ]';
  assert.equal(patched(document, patch), { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } });
});

test('A.7 Moving an Array Element', () => {
  const document = '{ "foo": [ "all", "grass", "cows", "eat" ] }';
  const patch = '[ { "op": "move", "from": "/foo/1", "path": "/foo/3" } ]';
  assert.equal(patched(document, patch), { foo: ['all', 'cows', 'eat', 'grass'] });
});

test('A.8 Testing a Value: Success', () => {
  const document = '{ "baz": "qux", "foo": [ "a", 2, "c" ] }';
  const patch = '[ { "op": "test", "path": "/baz", "value": "qux" }, { "op": "test", "path": "/foo/1", "value": 2 } ]';
  assert.equal(patched(document, patch), { baz: 'qux', foo: ['a', 2, 'c'] });
});

test('A.9 Testing a Value: Error', () => {
  const error = throwsFrom('{ "baz": "qux" }', '[ { "op": "test", "path": "/baz", "value": "bar" } ]');
  assert.instance(error, JsonPatchTestFailedError);
});

test('A.10 Adding a Nested Member Object', () => {
  const patch = '[ { "op": "add", "path": "/child", "value": { "grandchild": { } } } ]';
  assert.equal(patched('{ "foo": "bar" }', patch), { foo: 'bar', child: { grandchild: {} } });
});

test('A.11 Ignoring Unrecognized Elements', () => {
  const patch = '[ { "op": "add", "path": "/baz", "value": "qux", "xyz": 123 } ]';
  assert.equal(patched('{ "foo": "bar" }', patch), { foo: 'bar', baz: 'qux' });
});

test('A.12 Adding to a Nonexistent Target', () => {
  const error = throwsFrom('{ "foo": "bar" }', '[ { "op": "add", "path": "/baz/bat", "value": "qux" } ]');
  assert.instance(error, InvalidInputError);
  assert.is((error as InvalidInputError).violations[0]?.path, 'patch[0].path');
});

test('A.13 Invalid JSON Patch Document: JSON.parse keeps the last "op", so the patch removes a missing member and fails', () => {
  const error = throwsFrom('{ "foo": "bar" }', '[ { "op": "add", "path": "/baz", "value": "qux", "op": "remove" } ]');
  assert.instance(error, InvalidInputError);
});

test('A.14 ~ Escape Ordering', () => {
  const document = '{ "/": 9, "~1": 10 }';
  assert.equal(patched(document, '[ {"op": "test", "path": "/~01", "value": 10} ]'), { '/': 9, '~1': 10 });
});

test('A.15 Comparing Strings and Numbers', () => {
  const error = throwsFrom('{ "/": 9, "~1": 10 }', '[ {"op": "test", "path": "/~01", "value": "10"} ]');
  assert.instance(error, JsonPatchTestFailedError);
});

test('A.16 Adding an Array Value', () => {
  const patch = '[ { "op": "add", "path": "/foo/-", "value": ["abc", "def"] } ]';
  assert.equal(patched('{ "foo": ["bar"] }', patch), { foo: ['bar', ['abc', 'def']] });
});

test('RFC 6901 §5: each example pointer names the value the RFC gives', () => {
  const document =
    '{ "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\\\j": 5, "k\\"l": 6, " ": 7, "m~n": 8 }';
  const examples: Array<[string, unknown]> = [
    ['', JSON.parse(document)],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
  ];
  for (const [path, value] of examples) {
    patched(document, JSON.stringify([{ op: 'test', path, value }]));
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_DEPTH, validateData } from '../../shared/domain/data-rules.js';
import type { JsonObject } from '../../shared/domain/document.js';
import {
  collectionName,
  documentId,
  etagOf,
  idempotencyKey,
  ifNoneMatchHits,
  isCollectionName,
  isDocumentId,
  parseIfMatch,
} from '../../shared/domain/values.js';
import { invalid } from '../support/assert-invalid.js';


/** An object nested `levels` deep, the outermost counting as 1. */
function nested(levels: number): JsonObject {
  let value: JsonObject = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { n: value };
  return value;
}

// --- collection names ----------------------------------------------------------------------------------

test('collection names may use letters, digits, _ and - after a leading letter', () => {
  for (const name of ['users', 'U', 'order_items-2024', `a${'b'.repeat(63)}`]) {
    assert.ok(isCollectionName(name), name);
    assert.is(collectionName(name), name);
  }
});

test('collection names must start with a letter', () => {
  for (const name of ['1users', '_users', '-users']) assert.not.ok(isCollectionName(name), name);
});

test('collection names are at most 64 characters', () => {
  assert.not.ok(isCollectionName(`a${'b'.repeat(64)}`));
});

test('collection names reject dots, slashes, spaces, $ and the empty string', () => {
  for (const name of ['', 'a.b', 'a/b', 'a b', 'a$', 'système']) assert.not.ok(isCollectionName(name), name);
});

test('a non-string is not a collection name', () => {
  assert.not.ok(isCollectionName(42));
  assert.not.ok(isCollectionName(undefined));
});

test('collectionName throws InvalidInputError on path collection', () => {
  const error = invalid(() => collectionName('bad name'));
  assert.is(error.violations[0]?.path, 'collection');
});

// --- document ids --------------------------------------------------------------------------------------

test('document ids may use letters, digits, _ . : and - after a leading letter or digit', () => {
  for (const id of ['u1', '42', 'a.b:c_d-e', `x${'y'.repeat(127)}`]) {
    assert.ok(isDocumentId(id), id);
    assert.is(documentId(id), id);
  }
});

test('document ids must start with a letter or digit', () => {
  for (const id of ['.a', ':a', '_a', '-a']) assert.not.ok(isDocumentId(id), id);
});

test('document ids are at most 128 characters', () => {
  assert.not.ok(isDocumentId(`x${'y'.repeat(128)}`));
});

test('document ids reject slashes, spaces, $, NUL and the empty string', () => {
  for (const id of ['', 'a/b', 'a b', '$a', 'a\0', '../x']) assert.not.ok(isDocumentId(id), JSON.stringify(id));
});

test('documentId throws InvalidInputError on path id', () => {
  const error = invalid(() => documentId('a/b'));
  assert.is(error.violations[0]?.path, 'id');
});

// --- If-Match, ETag, If-None-Match ----------------------------------------------------------------------

test('etagOf quotes the version', () => {
  assert.is(etagOf(3), '"3"');
});

test('parseIfMatch reads a quoted version', () => {
  assert.is(parseIfMatch('"3"'), 3);
  assert.is(parseIfMatch(' "12" '), 12);
});

test('parseIfMatch treats an absent header and * as no precondition', () => {
  assert.is(parseIfMatch(undefined), undefined);
  assert.is(parseIfMatch('*'), undefined);
});

test('parseIfMatch rejects weak, unquoted, zero, negative and non-numeric tags', () => {
  for (const header of ['W/"3"', '3', '"0"', '"-1"', '"abc"', '"03"', '""', '"1", "2"']) {
    const error = invalid(() => parseIfMatch(header));
    assert.is(error.violations[0]?.path, 'If-Match', header);
  }
});

test('parseIfMatch rejects a version past 2^53 - 1, which a JavaScript number cannot hold exactly', () => {
  assert.is(parseIfMatch('"9007199254740991"'), 9007199254740991);
  for (const header of ['"9007199254740992"', '"9007199254740993"', '"9999999999999999"']) {
    assert.is(invalid(() => parseIfMatch(header)).violations[0]?.path, 'If-Match', header);
  }
});

test('ifNoneMatchHits is false without the header', () => {
  assert.not.ok(ifNoneMatchHits(undefined, 1));
});

test('ifNoneMatchHits matches the current version, weak or strong', () => {
  assert.ok(ifNoneMatchHits('"2"', 2));
  assert.ok(ifNoneMatchHits('W/"2"', 2));
  assert.not.ok(ifNoneMatchHits('"1"', 2));
});

test('ifNoneMatchHits matches any tag in a list', () => {
  assert.ok(ifNoneMatchHits('"1", "2" , "3"', 2));
});

test('ifNoneMatchHits treats * as matching any version', () => {
  assert.ok(ifNoneMatchHits('*', 7));
});

// --- Idempotency-Key ------------------------------------------------------------------------------------

test('idempotencyKey accepts visible ASCII up to 255 characters', () => {
  assert.is(idempotencyKey('abc-123_~!'), 'abc-123_~!');
  assert.is(idempotencyKey('k'.repeat(255)), 'k'.repeat(255));
  assert.is(idempotencyKey(undefined), undefined);
});

test('idempotencyKey rejects empty, overlong, spaced and non-ASCII keys', () => {
  for (const key of ['', 'k'.repeat(256), 'a b', 'clé']) {
    assert.is(invalid(() => idempotencyKey(key)).violations[0]?.path, 'Idempotency-Key');
  }
});

// --- data rules -----------------------------------------------------------------------------------------

test('validateData accepts and returns a JSON object', () => {
  const data = { name: 'Ada', tags: ['x'], nested: { ok: true, n: null } };
  assert.is(validateData(data), data);
});

test('validateData rejects anything but an object', () => {
  for (const value of [null, [], 'x', 1, undefined]) {
    assert.equal(invalid(() => validateData(value)).violations, [{ path: 'data', message: 'must be a JSON object' }]);
  }
});

test('validateData rejects keys starting with $, naming the path', () => {
  const error = invalid(() => validateData({ a: { $where: 1 } }));
  assert.is(error.violations[0]?.path, 'data.a.$where');
});

test('validateData rejects keys containing a dot or NUL', () => {
  assert.is(invalid(() => validateData({ 'a.b': 1 })).violations[0]?.path, 'data.a.b');
  invalid(() => validateData({ 'a\0b': 1 }));
});

test('validateData rejects prototype-polluting keys', () => {
  invalid(() => validateData(JSON.parse('{"__proto__": {"x": 1}}')));
  invalid(() => validateData({ a: { constructor: 1 } }));
  invalid(() => validateData({ prototype: 1 }));
});

test('validateData checks keys inside arrays, naming the index', () => {
  const error = invalid(() => validateData({ list: [{ ok: 1 }, { $bad: 1 }] }));
  assert.is(error.violations[0]?.path, 'data.list[1].$bad');
});

test('validateData accepts nesting up to 32 levels', () => {
  validateData(nested(MAX_DEPTH));
});

test('validateData rejects nesting beyond 32 levels', () => {
  const error = invalid(() => validateData(nested(MAX_DEPTH + 1)));
  assert.match(error.message, 'depth');
});

test('validateData counts arrays as nesting levels', () => {
  let value: unknown = 1;
  for (let i = 0; i < MAX_DEPTH; i++) value = [value];
  invalid(() => validateData({ a: value }));
});

test('validateData rejects non-finite numbers', () => {
  invalid(() => validateData({ a: Number.NaN }));
  invalid(() => validateData({ a: [Number.POSITIVE_INFINITY] }));
});

test('validateData rejects strings holding an unpaired surrogate, naming the path', () => {
  assert.equal(invalid(() => validateData(JSON.parse('{"a": ["ok", "x\\ud800y"]}'))).violations, [
    { path: 'data.a[1]', message: 'text must be well-formed Unicode (has an unpaired surrogate)' },
  ]);
  invalid(() => validateData({ a: '\udc00' }));
});

test('validateData rejects keys holding an unpaired surrogate', () => {
  invalid(() => validateData(JSON.parse('{"k\\udbff": 1}')));
});

test('validateData accepts characters outside the Basic Multilingual Plane, written as a surrogate pair', () => {
  validateData(JSON.parse('{"emoji": "\\ud83d\\ude00", "\\ud83d\\ude00": 1}'));
});

test('validateData uses the given path prefix', () => {
  assert.is(invalid(() => validateData({ $x: 1 }, 'patch')).violations[0]?.path, 'patch.$x');
});

test.run();

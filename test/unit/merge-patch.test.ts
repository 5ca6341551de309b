import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import { applyMergePatch } from '../../shared/domain/merge-patch.js';

/**
 * RFC 7386 Appendix A. The service only ever patches `data` (an object) with an object, but the algorithm is
 * defined for any JSON, so the rows with a non-object target or patch are exercised through a cast.
 */
const appendixA: Array<[target: JsonValue, patch: JsonValue, result: JsonValue]> = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

appendixA.forEach(([target, patch, result], i) => {
  test(`RFC 7386 appendix A row ${i + 1}: ${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
    assert.equal(applyMergePatch(target as JsonObject, patch as JsonObject), result);
  });
});

test('RFC 7386 section 3 example: changes, removes and adds members', () => {
  const target: JsonObject = {
    title: 'Goodbye!',
    author: { givenName: 'John', familyName: 'Doe' },
    tags: ['example', 'sample'],
    content: 'This will be unchanged',
  };
  const patch: JsonObject = {
    title: 'Hello!',
    phoneNumber: '+01-123-456-7890',
    author: { familyName: null },
    tags: ['example'],
  };
  assert.equal(applyMergePatch(target, patch), {
    title: 'Hello!',
    author: { givenName: 'John' },
    tags: ['example'],
    content: 'This will be unchanged',
    phoneNumber: '+01-123-456-7890',
  });
});

test('an empty patch leaves the target as it was', () => {
  assert.equal(applyMergePatch({ a: 1, b: { c: 2 } }, {}), { a: 1, b: { c: 2 } });
});

test('a null member for an absent key changes nothing', () => {
  assert.equal(applyMergePatch({ a: 1 }, { z: null }), { a: 1 });
});

test('an object member replaces a scalar with the patch object stripped of nulls', () => {
  assert.equal(applyMergePatch({ a: 5 }, { a: { b: 1, c: null } }), { a: { b: 1 } });
});

test('arrays are replaced whole, never merged', () => {
  assert.equal(applyMergePatch({ a: [1, 2, 3] }, { a: [4] }), { a: [4] });
});

test('the target is not mutated', () => {
  const target: JsonObject = { a: { b: 1 }, c: 2 };
  applyMergePatch(target, { a: { b: 9 }, c: null });
  assert.equal(target, { a: { b: 1 }, c: 2 });
});

test('the result does not share nested objects that were merged', () => {
  const target: JsonObject = { a: { b: 1 } };
  const result = applyMergePatch(target, { a: { c: 2 } });
  assert.is.not(result.a, target.a);
});

test('existing key order is kept and new keys come last', () => {
  const result = applyMergePatch({ x: 1, y: 2, z: 3 }, { new: 0, y: 20 });
  assert.equal(Object.keys(result), ['x', 'y', 'z', 'new']);
});

test.run();

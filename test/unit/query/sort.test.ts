import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../../shared/domain/document.js';
import {
  EMPTY_ARRAY_SORT_KEY,
  comparePositions,
  sortKeyOf,
  validateSort,
  type SortSpec,
} from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';

/** Sort specifications, sort keys and the order of positions, as MongoDB sorts. */

test('validateSort keeps key order', () => {
  assert.equal(validateSort({ b: -1, 'a.c': 1 }), [
    ['b', -1],
    ['a.c', 1],
  ]);
});

test('validateSort treats an absent sort as no sort fields', () => {
  assert.equal(validateSort(undefined), []);
  assert.equal(validateSort(null), []);
});

test('validateSort rejects directions other than 1 and -1', () => {
  for (const direction of [0, 2, '1', 'asc', true, null]) {
    assert.is(invalid(() => validateSort({ a: direction })).violations[0]?.path, 'sort.a');
  }
});

test('validateSort rejects a sort that is not an object', () => {
  assert.is(invalid(() => validateSort([['a', 1]])).violations[0]?.path, 'sort');
});

test('validateSort rejects a bare-number key beside others, whose place JSON objects do not keep', () => {
  const error = invalid(() => validateSort({ b: 1, '2': -1 }));
  assert.is(error.violations[0]?.path, 'sort.2');
  assert.match(error.message, 'bare number');
});

test('validateSort accepts a bare-number key alone', () => {
  assert.equal(validateSort({ '2': -1 }), [['2', -1]]);
});

test('validateSort accepts keys that only start with digits beside others', () => {
  assert.equal(validateSort({ b: 1, '2a': -1, '02': 1 }), [
    ['b', 1],
    ['2a', -1],
    ['02', 1],
  ]);
});

test('validateSort rejects bad paths', () => {
  assert.is(invalid(() => validateSort({ $natural: 1 })).violations[0]?.path, 'sort.$natural');
  invalid(() => validateSort({ 'a..b': 1 }));
});

test('sortKeyOf takes the value at each path', () => {
  assert.equal(sortKeyOf({ a: 1, b: { c: 'x' } }, [['b.c', 1], ['a', -1]]), ['x', 1]);
});

test('sortKeyOf gives null for a missing field', () => {
  assert.equal(sortKeyOf({}, [['a', 1]]), [null]);
  assert.equal(sortKeyOf({ a: 5 }, [['a.b', 1]]), [null]);
});

test('sortKeyOf uses the smallest array element ascending and the largest descending', () => {
  assert.equal(sortKeyOf({ a: [3, 1, 2] }, [['a', 1]]), [1]);
  assert.equal(sortKeyOf({ a: [3, 1, 2] }, [['a', -1]]), [3]);
});

test('sortKeyOf uses BSON order across types in an array', () => {
  assert.equal(sortKeyOf({ a: ['x', 2, null] }, [['a', 1]]), [null]);
  assert.equal(sortKeyOf({ a: ['x', 2, true] }, [['a', -1]]), [true]);
});

test('sortKeyOf collects a path through an array of objects, missing fields as null', () => {
  assert.equal(sortKeyOf({ a: [{ b: 3 }, { b: [0, 9] }] }, [['a.b', 1]]), [0]);
  assert.equal(sortKeyOf({ a: [{ b: 3 }, { b: [0, 9] }] }, [['a.b', -1]]), [9]);
  assert.equal(sortKeyOf({ a: [{ b: 3 }, { c: 1 }] }, [['a.b', 1]]), [null]);
});

test('sortKeyOf gives an empty array the marker that sorts below null', () => {
  assert.equal(sortKeyOf({ a: [] }, [['a', 1]]), [EMPTY_ARRAY_SORT_KEY]);
  assert.equal(sortKeyOf({ a: [] }, [['a', -1]]), [EMPTY_ARRAY_SORT_KEY]);
});

test('sortKeyOf treats an empty array in the middle of a path as missing', () => {
  assert.equal(sortKeyOf({ a: [] }, [['a.b', 1]]), [null]);
});

test('sortKeyOf with a numeric segment selects the array element', () => {
  assert.equal(sortKeyOf({ a: [5, 1] }, [['a.0', 1]]), [5]);
  assert.equal(sortKeyOf({ a: [{ b: 2 }, { b: 1 }] }, [['a.0.b', 1]]), [2]);
});

test('sortKeyOf keeps an array nested in an array as one value', () => {
  assert.equal(sortKeyOf({ a: [[2, 1], 'x'] }, [['a', -1]]), [[2, 1]]);
});

test('sortKeyOf of an object value is the object', () => {
  assert.equal(sortKeyOf({ a: { b: 1 } }, [['a', 1]]), [{ b: 1 }]);
});

/** Orders documents the way a store does: by sort key, then id. */
function order(docs: Array<[string, JsonObject]>, sort: SortSpec): string[] {
  return docs
    .map(([id, data]) => ({ id, values: sortKeyOf(data, sort) }))
    .sort((a, b) => comparePositions(a, b, sort))
    .map((position) => position.id);
}

test('comparePositions sorts ascending with missing and null first', () => {
  const docs: Array<[string, JsonObject]> = [
    ['n', { a: 5 }],
    ['s', { a: 'x' }],
    ['m', {}],
    ['z', { a: null }],
    ['e', { a: [] }],
  ];
  assert.equal(order(docs, [['a', 1]]), ['e', 'm', 'z', 'n', 's']);
});

test('comparePositions sorts descending with the empty array last', () => {
  const docs: Array<[string, JsonObject]> = [
    ['n', { a: 5 }],
    ['e', { a: [] }],
    ['m', {}],
    ['s', { a: 'x' }],
  ];
  assert.equal(order(docs, [['a', -1]]), ['s', 'n', 'm', 'e']);
});

test('comparePositions breaks ties by id ascending, whatever the direction', () => {
  const docs: Array<[string, JsonObject]> = [
    ['c', { a: 1 }],
    ['a', { a: 1 }],
    ['b', { a: 2 }],
  ];
  assert.equal(order(docs, [['a', -1]]), ['b', 'a', 'c']);
  assert.equal(order(docs, []), ['a', 'b', 'c']);
});

test('comparePositions uses later fields only for ties on earlier ones', () => {
  const docs: Array<[string, JsonObject]> = [
    ['1', { a: 1, b: 1 }],
    ['2', { a: 1, b: 2 }],
    ['3', { a: 0, b: 3 }],
  ];
  assert.equal(order(docs, [['a', 1], ['b', -1]]), ['3', '2', '1']);
});

test('comparePositions compares ids in binary order', () => {
  const sort: SortSpec = [];
  assert.ok(comparePositions({ values: [], id: 'B' }, { values: [], id: 'a' }, sort) < 0);
  assert.is(comparePositions({ values: [], id: 'a' }, { values: [], id: 'a' }, sort), 0);
});

test('comparePositions sorts arrays by their smallest element ascending', () => {
  const docs: Array<[string, JsonObject]> = [
    ['x', { a: [5, 0] }],
    ['y', { a: 1 }],
  ];
  assert.equal(order(docs, [['a', 1]]), ['x', 'y']);
  assert.equal(order(docs, [['a', -1]]), ['x', 'y']);
});

test.run();

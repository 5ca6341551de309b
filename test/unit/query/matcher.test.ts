import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../../shared/domain/document.js';
import { compileFilter, matchesFilter, validateFilter, type Filter } from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';
import { matches } from '../../support/filters.js';

/** Filters evaluated as MongoDB's matcher evaluates them over `data`. */

// --- matchesFilter: equality and paths -----------------------------------------------------------------

test('an empty filter matches every document', () => {
  assert.ok(matches({}, {}));
  assert.ok(matches({}, { a: [1, { b: 2 }] }));
});

test('implicit equality matches an equal scalar', () => {
  assert.ok(matches({ name: 'Ada' }, { name: 'Ada', age: 36 }));
  assert.not.ok(matches({ name: 'Ada' }, { name: 'Bob' }));
});

test('equality does not convert between types', () => {
  assert.not.ok(matches({ a: 1 }, { a: '1' }));
  assert.not.ok(matches({ a: true }, { a: 1 }));
  assert.not.ok(matches({ a: 0 }, { a: false }));
});

test('numbers are equal by value (1 equals 1.0)', () => {
  assert.ok(matches({ a: 1.0 }, { a: 1 }));
  assert.ok(matches({ a: 0 }, { a: -0 }));
});

test('several fields are an implicit AND', () => {
  assert.ok(matches({ a: 1, b: 2 }, { a: 1, b: 2 }));
  assert.not.ok(matches({ a: 1, b: 2 }, { a: 1, b: 3 }));
});

test('a dotted path reaches into nested objects', () => {
  assert.ok(matches({ 'address.city': 'Oslo' }, { address: { city: 'Oslo' } }));
  assert.not.ok(matches({ 'address.city': 'Oslo' }, { address: { city: 'Rome' } }));
});

test('an array field matches when any element equals the value', () => {
  assert.ok(matches({ tags: 'x' }, { tags: ['x', 'y'] }));
  assert.not.ok(matches({ tags: 'z' }, { tags: ['x', 'y'] }));
});

test('an array field matches when the whole array equals the value', () => {
  assert.ok(matches({ tags: ['x', 'y'] }, { tags: ['x', 'y'] }));
  assert.not.ok(matches({ tags: ['y', 'x'] }, { tags: ['x', 'y'] }));
});

test('an array value matches an element that is an equal array', () => {
  assert.ok(matches({ a: [1, 2] }, { a: [[1, 2], 3] }));
});

test('a scalar does not match inside a nested array', () => {
  assert.not.ok(matches({ a: 1 }, { a: [[1, 2]] }));
});

test('a dotted path through an array of objects collects each element', () => {
  const data = { items: [{ name: 'a' }, { name: 'x' }] };
  assert.ok(matches({ 'items.name': 'x' }, data));
  assert.not.ok(matches({ 'items.name': 'q' }, data));
});

test('a dotted path through arrays expands a leaf array inside an element', () => {
  assert.ok(matches({ 'a.b': 11 }, { a: [{ b: 5 }, { b: [9, 11] }] }));
});

test('a dotted path does not traverse arrays nested directly in arrays', () => {
  assert.not.ok(matches({ 'a.b': 1 }, { a: [[{ b: 1 }]] }));
});

test('a numeric segment indexes an array', () => {
  assert.ok(matches({ 'a.1': 7 }, { a: [5, 7, 3] }));
  assert.not.ok(matches({ 'a.0': 7 }, { a: [5, 7, 3] }));
});

test('a numeric segment also matches a field of that name in array elements', () => {
  assert.ok(matches({ 'a.1': 4 }, { a: [5, { '1': 4 }, 3] }));
  assert.ok(matches({ 'a.0.b': 2 }, { a: [{ '0': { b: 2 } }] }));
});

test('a numeric segment names a field of a plain object', () => {
  assert.ok(matches({ 'a.0': 'x' }, { a: { '0': 'x' } }));
});

test('a numeric segment continues into the indexed element', () => {
  assert.ok(matches({ 'a.1.b': 4 }, { a: [5, { b: 4 }, 3] }));
  assert.ok(matches({ 'a.1.b': 4 }, { a: [5, [{ b: 4 }], 3] }));
});

test('an indexed element that is an array is compared whole, not expanded', () => {
  assert.not.ok(matches({ 'a.1': 2 }, { a: [5, [2, 4]] }));
  assert.ok(matches({ 'a.1': [2, 4] }, { a: [5, [2, 4]] }));
});

test('inherited object properties are not fields', () => {
  assert.ok(matches({ toString: null }, { a: 1 }));
  assert.not.ok(matches({ toString: { $exists: true } }, { a: 1 }));
  assert.ok(matches({ toString: 'x' }, { toString: 'x' }));
});

test('object equality is exact and key-order sensitive', () => {
  assert.ok(matches({ a: { x: 1, y: 2 } }, { a: { x: 1, y: 2 } }));
  assert.not.ok(matches({ a: { y: 2, x: 1 } }, { a: { x: 1, y: 2 } }));
  assert.not.ok(matches({ a: { x: 1 } }, { a: { x: 1, y: 2 } }));
});

test('an empty object literal matches only an empty object', () => {
  assert.ok(matches({ a: {} }, { a: {} }));
  assert.not.ok(matches({ a: {} }, { a: { b: 1 } }));
});

// --- null and missing ---------------------------------------------------------------------------------

test('null matches a missing field', () => {
  assert.ok(matches({ a: null }, { b: 1 }));
});

test('null matches a null value', () => {
  assert.ok(matches({ a: null }, { a: null }));
  assert.not.ok(matches({ a: null }, { a: 0 }));
});

test('$eq null behaves like implicit null', () => {
  assert.ok(matches({ a: { $eq: null } }, {}));
  assert.ok(matches({ a: { $eq: null } }, { a: null }));
  assert.not.ok(matches({ a: { $eq: null } }, { a: false }));
});

test('null matches an array that contains null but not an empty array', () => {
  assert.ok(matches({ a: null }, { a: [1, null] }));
  assert.not.ok(matches({ a: null }, { a: [] }));
  assert.not.ok(matches({ a: null }, { a: [1] }));
});

test('null matches a dotted path that runs into a scalar', () => {
  assert.ok(matches({ 'a.b': null }, { a: 5 }));
});

test('null matches an array element that lacks the field', () => {
  assert.ok(matches({ 'a.b': null }, { a: [{ b: 1 }, { c: 1 }] }));
});

test('null does not match a path through an array of scalars (MongoDB yields nothing there)', () => {
  assert.not.ok(matches({ 'a.b': null }, { a: [1, 2] }));
  assert.not.ok(matches({ 'a.b': null }, { a: [] }));
});

test('$ne null matches only present, non-null values', () => {
  assert.ok(matches({ a: { $ne: null } }, { a: 0 }));
  assert.not.ok(matches({ a: { $ne: null } }, {}));
  assert.not.ok(matches({ a: { $ne: null } }, { a: null }));
});

// --- $ne, $in, $nin, $exists ------------------------------------------------------------------------------

test('$ne matches a missing field', () => {
  assert.ok(matches({ a: { $ne: 1 } }, {}));
});

test('$ne excludes arrays that contain the value', () => {
  assert.not.ok(matches({ tags: { $ne: 'x' } }, { tags: ['x', 'y'] }));
  assert.ok(matches({ tags: { $ne: 'z' } }, { tags: ['x', 'y'] }));
});

test('$in matches any listed value', () => {
  assert.ok(matches({ a: { $in: [1, 'two', 3] } }, { a: 'two' }));
  assert.not.ok(matches({ a: { $in: [1, 3] } }, { a: 2 }));
});

test('$in does not convert between types', () => {
  assert.not.ok(matches({ a: { $in: ['1', true] } }, { a: 1 }));
});

test('$in matches array elements', () => {
  assert.ok(matches({ tags: { $in: ['q', 'y'] } }, { tags: ['x', 'y'] }));
});

test('$in matches objects and whole arrays exactly', () => {
  assert.ok(matches({ a: { $in: [{ b: 1 }] } }, { a: { b: 1 } }));
  assert.not.ok(matches({ a: { $in: [{ b: 1 }] } }, { a: { b: 1, c: 2 } }));
  assert.ok(matches({ a: { $in: [[1, 2]] } }, { a: [1, 2] }));
});

test('$in with null matches missing and null', () => {
  assert.ok(matches({ a: { $in: [null, 5] } }, {}));
  assert.ok(matches({ a: { $in: [null, 5] } }, { a: null }));
  assert.not.ok(matches({ a: { $in: [5] } }, {}));
});

test('$in with an empty list matches nothing', () => {
  assert.not.ok(matches({ a: { $in: [] } }, { a: 1 }));
});

test('$nin is the negation of $in, missing fields included', () => {
  assert.ok(matches({ a: { $nin: [1, 2] } }, { a: 3 }));
  assert.ok(matches({ a: { $nin: [1, 2] } }, {}));
  assert.not.ok(matches({ a: { $nin: [1, 2] } }, { a: [3, 2] }));
  assert.not.ok(matches({ a: { $nin: [null] } }, {}));
});

test('$nin with an empty list matches everything', () => {
  assert.ok(matches({ a: { $nin: [] } }, { a: 1 }));
});

test('$exists true matches present fields, null included', () => {
  assert.ok(matches({ a: { $exists: true } }, { a: null }));
  assert.not.ok(matches({ a: { $exists: true } }, {}));
});

test('$exists false matches missing fields', () => {
  assert.ok(matches({ a: { $exists: false } }, {}));
  assert.not.ok(matches({ a: { $exists: false } }, { a: 0 }));
});

test('$exists reads numbers by truthiness', () => {
  assert.ok(matches({ a: { $exists: 1 } }, { a: 1 }));
  assert.ok(matches({ a: { $exists: 0 } }, {}));
});

test('$exists treats an empty array as present', () => {
  assert.ok(matches({ a: { $exists: true } }, { a: [] }));
});

test('$exists on a path through an array needs one element to have the field', () => {
  assert.ok(matches({ 'a.b': { $exists: true } }, { a: [{ c: 1 }, { b: 2 }] }));
  assert.ok(matches({ 'a.b': { $exists: false } }, { a: [{ c: 1 }] }));
  assert.ok(matches({ 'a.b': { $exists: false } }, { a: [1, 2] }));
});

// --- comparisons ----------------------------------------------------------------------------------------

test('$gt on a number matches only larger numbers', () => {
  assert.ok(matches({ a: { $gt: 5 } }, { a: 6 }));
  assert.not.ok(matches({ a: { $gt: 5 } }, { a: 5 }));
  assert.not.ok(matches({ a: { $gt: 5 } }, { a: '9' }));
  assert.not.ok(matches({ a: { $gt: 5 } }, { a: true }));
  assert.not.ok(matches({ a: { $gt: 5 } }, {}));
});

test('$gte, $lt and $lte compare numbers by value', () => {
  assert.ok(matches({ a: { $gte: 5 } }, { a: 5 }));
  assert.ok(matches({ a: { $lt: 5 } }, { a: 4.5 }));
  assert.ok(matches({ a: { $lte: 5 } }, { a: 5.0 }));
  assert.not.ok(matches({ a: { $lt: 5 } }, { a: 5 }));
});

test('$gt on a string matches only larger strings', () => {
  assert.ok(matches({ a: { $gt: 'a' } }, { a: 'b' }));
  assert.not.ok(matches({ a: { $gt: 'a' } }, { a: 5 }));
  assert.not.ok(matches({ a: { $lt: 'a' } }, { a: null }));
});

test('string comparisons use binary order, not locale order', () => {
  assert.ok(matches({ a: { $lt: 'a' } }, { a: 'Z' }));
  assert.ok(matches({ a: { $gt: 'z' } }, { a: 'é' }));
});

test('$gte null and $lte null match null and missing', () => {
  for (const op of ['$gte', '$lte']) {
    assert.ok(matches({ a: { [op]: null } }, {}), op);
    assert.ok(matches({ a: { [op]: null } }, { a: null }), op);
    assert.not.ok(matches({ a: { [op]: null } }, { a: 0 }), op);
  }
});

test('$gt null and $lt null match nothing', () => {
  for (const op of ['$gt', '$lt']) {
    assert.not.ok(matches({ a: { [op]: null } }, {}), op);
    assert.not.ok(matches({ a: { [op]: null } }, { a: null }), op);
    assert.not.ok(matches({ a: { [op]: null } }, { a: 1 }), op);
  }
});

test('comparisons match when any array element satisfies them', () => {
  assert.ok(matches({ a: { $gt: 5 } }, { a: [1, 9] }));
  assert.not.ok(matches({ a: { $gt: 5 } }, { a: [1, 2] }));
});

test('each comparison in a range may be satisfied by a different array element', () => {
  assert.ok(matches({ a: { $gt: 5, $lt: 3 } }, { a: [1, 9] }));
});

test('comparisons with booleans order false before true', () => {
  assert.ok(matches({ a: { $gt: false } }, { a: true }));
  assert.not.ok(matches({ a: { $gt: true } }, { a: true }));
});

test('comparisons with objects compare field by field', () => {
  assert.ok(matches({ a: { $gt: { x: 1 } } }, { a: { x: 2 } }));
  assert.ok(matches({ a: { $gt: { x: 1 } } }, { a: { x: 1, y: 0 } }));
  assert.not.ok(matches({ a: { $gt: { x: 1 } } }, { a: 5 }));
});

test('comparisons with arrays compare whole arrays element by element', () => {
  assert.ok(matches({ a: { $gt: [1, 2] } }, { a: [1, 3] }));
  assert.not.ok(matches({ a: { $gt: [1, 2] } }, { a: [1, 1] }));
});

// --- $not and logical operators ------------------------------------------------------------------------

test('$not matches when the inner expression does not', () => {
  assert.ok(matches({ a: { $not: { $gt: 5 } } }, { a: 3 }));
  assert.not.ok(matches({ a: { $not: { $gt: 5 } } }, { a: 7 }));
});

test('$not matches missing fields', () => {
  assert.ok(matches({ a: { $not: { $gt: 5 } } }, {}));
});

test('$not matches values of another type', () => {
  assert.ok(matches({ a: { $not: { $gt: 5 } } }, { a: 'x' }));
});

test('$not negates the AND of its operators', () => {
  const filter = { a: { $not: { $gt: 1, $lt: 5 } } };
  assert.not.ok(matches(filter, { a: 3 }));
  assert.ok(matches(filter, { a: 7 }));
});

test('$not with $regex matches strings that do not match', () => {
  assert.ok(matches({ a: { $not: { $regex: '^x' } } }, { a: 'yz' }));
  assert.not.ok(matches({ a: { $not: { $regex: '^x' } } }, { a: 'xy' }));
  assert.ok(matches({ a: { $not: { $regex: '^x' } } }, {}));
});

test('$not on an array excludes it when any element matches', () => {
  assert.not.ok(matches({ a: { $not: { $gt: 5 } } }, { a: [1, 9] }));
});

test('$and requires every member to match', () => {
  assert.ok(matches({ $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 2 }));
  assert.not.ok(matches({ $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 3 }));
});

test('$or requires one member to match', () => {
  assert.ok(matches({ $or: [{ a: 1 }, { b: 2 }] }, { b: 2 }));
  assert.not.ok(matches({ $or: [{ a: 1 }, { b: 2 }] }, { a: 2, b: 3 }));
});

test('$nor requires no member to match', () => {
  assert.ok(matches({ $nor: [{ a: 1 }, { b: 2 }] }, { a: 2 }));
  assert.not.ok(matches({ $nor: [{ a: 1 }, { b: 2 }] }, { b: 2 }));
});

test('logical operators combine with field conditions', () => {
  const filter = { kind: 'user', $or: [{ age: { $lt: 18 } }, { age: { $gte: 65 } }] };
  assert.ok(matches(filter, { kind: 'user', age: 70 }));
  assert.not.ok(matches(filter, { kind: 'user', age: 40 }));
  assert.not.ok(matches(filter, { kind: 'bot', age: 70 }));
});

test('an $or member may be an empty filter, which matches everything', () => {
  assert.ok(matches({ $or: [{}, { a: 1 }] }, { a: 2 }));
});

// --- compileFilter ----------------------------------------------------------------------------------------

test('compileFilter returns the same matcher for the same filter', () => {
  const filter = validateFilter({ a: { $regex: 'x' } });
  assert.is(compileFilter(filter), compileFilter(filter));
});

test('compileFilter evaluates like matchesFilter', () => {
  const filter = validateFilter({ 'items.qty': { $gte: 2 }, status: { $in: ['A', 'B'] } });
  const matcher = compileFilter(filter);
  const rows: JsonObject[] = [
    { items: [{ qty: 1 }, { qty: 3 }], status: 'A' },
    { items: [{ qty: 1 }], status: 'A' },
    { items: [{ qty: 5 }], status: 'C' },
  ];
  assert.equal(rows.map(matcher), [true, false, false]);
  assert.equal(rows.map((row) => matchesFilter(filter, row)), [true, false, false]);
});

test('compileFilter refuses a filter that was never valid', () => {
  invalid(() => compileFilter({ $where: 'x' } as never));
});

test('only validateFilter makes a Filter: a plain object does not type-check as one', () => {
  // @ts-expect-error an object that never passed validateFilter is not a Filter
  const plain: Filter = { a: 1 };
  const validated: Filter = validateFilter({ a: 1 });
  assert.equal(validated, plain);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../../support/pattern-engine.js';
import type { JsonObject, JsonValue } from '../../../shared/domain/document.js';
import {
  EMPTY_ARRAY_SORT_KEY,
  compareValues,
  comparePositions,
  compileFilter,
  matchesFilter,
  projectData,
  sortKeyOf,
  validateFields,
  validateFilter,
  validateSort,
  type Filter,
  type SortSpec,
} from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';

/** Whether `data` matches the raw filter (validated first, as the application does). */
function matches(filter: unknown, data: JsonObject): boolean {
  return matchesFilter(validateFilter(filter), data);
}


// --- validateFilter: shape and operators -----------------------------------------------------------------

test('validateFilter accepts an empty filter', () => {
  assert.equal(validateFilter({}), {});
});

test('validateFilter treats an absent filter as matching everything', () => {
  assert.ok(matchesFilter(validateFilter(undefined), { a: 1 }));
  assert.ok(matchesFilter(validateFilter(null), { a: 1 }));
});

test('validateFilter returns the filter it was given', () => {
  const raw = { age: { $gte: 18 } };
  assert.is(validateFilter(raw), raw);
});

test('validateFilter rejects a filter that is not an object', () => {
  for (const raw of [[], 'x', 1, true]) {
    const error = invalid(() => validateFilter(raw));
    assert.equal(error.violations, [{ path: 'filter', message: 'must be a JSON object' }]);
  }
});

test('validateFilter rejects $where at the top level, naming it', () => {
  const error = invalid(() => validateFilter({ $where: 'this.a == 1' }));
  assert.match(error.message, '$where');
  assert.is(error.violations[0]?.path, 'filter.$where');
});

test('validateFilter rejects $expr, $function, $text and $comment at the top level', () => {
  for (const op of ['$expr', '$function', '$text', '$comment', '$jsonSchema']) {
    const error = invalid(() => validateFilter({ [op]: {} }));
    assert.is(error.violations[0]?.path, `filter.${op}`);
    assert.match(error.message, op);
  }
});

test('validateFilter rejects $where under a field, naming the path', () => {
  const error = invalid(() => validateFilter({ a: { $where: 'x' } }));
  assert.is(error.violations[0]?.path, 'filter.a.$where');
  assert.match(error.violations[0]!.message, '$where');
});

test('validateFilter rejects operators outside the allowlist under a field', () => {
  for (const op of ['$elemMatch', '$size', '$all', '$type', '$mod', '$expr', '$function', '$foo']) {
    const error = invalid(() => validateFilter({ a: { [op]: 1 } }));
    assert.is(error.violations[0]?.path, `filter.a.${op}`);
    assert.match(error.message, op);
  }
});

test('validateFilter names a disallowed operator nested inside $or', () => {
  const error = invalid(() => validateFilter({ $or: [{ a: 1 }, { b: { $elemMatch: { c: 1 } } }] }));
  assert.is(error.violations[0]?.path, 'filter.$or[1].b.$elemMatch');
});

test('validateFilter names a disallowed operator nested inside $not', () => {
  const error = invalid(() => validateFilter({ a: { $not: { $size: 2 } } }));
  assert.is(error.violations[0]?.path, 'filter.a.$not.$size');
});

test('validateFilter accepts every allowlisted operator', () => {
  validateFilter({
    a: { $eq: 1, $ne: 2, $gt: 0, $gte: 0, $lt: 9, $lte: 9, $in: [1], $nin: [3], $exists: true },
    b: { $not: { $gt: 5 } },
    c: { $regex: '^x', $options: 'i' },
    $and: [{ d: 1 }],
    $or: [{ e: 1 }],
    $nor: [{ f: 1 }],
  });
});

test('validateFilter rejects $and, $or and $nor that are not non-empty arrays', () => {
  for (const op of ['$and', '$or', '$nor']) {
    for (const operand of [[], {}, 'x', null]) {
      const error = invalid(() => validateFilter({ [op]: operand }));
      assert.is(error.violations[0]?.path, `filter.${op}`);
    }
  }
});

test('validateFilter rejects $or members that are not objects', () => {
  const error = invalid(() => validateFilter({ $or: [{ a: 1 }, 5] }));
  assert.is(error.violations[0]?.path, 'filter.$or[1]');
});

test('validateFilter rejects $in and $nin operands that are not arrays', () => {
  assert.is(invalid(() => validateFilter({ a: { $in: 1 } })).violations[0]?.path, 'filter.a.$in');
  assert.is(invalid(() => validateFilter({ a: { $nin: 'x' } })).violations[0]?.path, 'filter.a.$nin');
});

test('validateFilter rejects an operator object inside $in', () => {
  const error = invalid(() => validateFilter({ a: { $in: [{ $gt: 1 }] } }));
  assert.is(error.violations[0]?.path, 'filter.a.$in[0].$gt');
});

test('validateFilter accepts booleans and numbers for $exists and nothing else', () => {
  validateFilter({ a: { $exists: false }, b: { $exists: 1 } });
  for (const operand of ['yes', null, {}, []]) {
    assert.is(invalid(() => validateFilter({ a: { $exists: operand } })).violations[0]?.path, 'filter.a.$exists');
  }
});

test('validateFilter rejects $not with a non-operator operand', () => {
  for (const operand of [5, 'x', null, {}, { b: 1 }, [1]]) {
    assert.is(invalid(() => validateFilter({ a: { $not: operand } })).violations[0]?.path, 'filter.a.$not');
  }
});

test('validateFilter rejects a $regex that is not a string', () => {
  assert.is(invalid(() => validateFilter({ a: { $regex: 5 } })).violations[0]?.path, 'filter.a.$regex');
});

test('validateFilter rejects a $regex pattern that does not compile', () => {
  assert.is(invalid(() => validateFilter({ a: { $regex: '(' } })).violations[0]?.path, 'filter.a.$regex');
  assert.is(invalid(() => validateFilter({ a: { $regex: '[a' } })).violations[0]?.path, 'filter.a.$regex');
});

test('validateFilter rejects a $regex longer than 512 characters', () => {
  validateFilter({ a: { $regex: 'x'.repeat(512) } });
  invalid(() => validateFilter({ a: { $regex: 'x'.repeat(513) } }));
});

test('validateFilter rejects $options other than "i" or ""', () => {
  validateFilter({ a: { $regex: 'x', $options: '' } });
  for (const options of ['m', 's', 'x', 'im', 5]) {
    const error = invalid(() => validateFilter({ a: { $regex: 'x', $options: options } }));
    assert.is(error.violations[0]?.path, 'filter.a.$options');
  }
});

test('validateFilter rejects $options without $regex', () => {
  const error = invalid(() => validateFilter({ a: { $options: 'i' } }));
  assert.is(error.violations[0]?.path, 'filter.a.$options');
});

test('validateFilter accepts $options written before $regex', () => {
  assert.ok(matches({ a: { $options: 'i', $regex: '^X' } }, { a: 'xy' }));
});

test('validateFilter rejects PCRE constructs whose JavaScript meaning differs', () => {
  for (const pattern of ['(a)\\1', '\\Qa.b\\E', '[[:alpha:]]', '\\v', '\\h', '\\R', '[]a]', '\\u0041', '\\k<n>']) {
    const error = invalid(() => validateFilter({ a: { $regex: pattern } }));
    assert.is(error.violations[0]?.path, 'filter.a.$regex', pattern);
  }
});

test('validateFilter rejects mixing operators and field names in one condition', () => {
  const error = invalid(() => validateFilter({ a: { $gt: 1, b: 2 } }));
  assert.is(error.violations[0]?.path, 'filter.a');
});

test('validateFilter rejects $-prefixed keys inside a literal value', () => {
  const error = invalid(() => validateFilter({ a: { b: { $gt: 1 } } }));
  assert.is(error.violations[0]?.path, 'filter.a.b.$gt');
});

test('validateFilter rejects malformed field paths', () => {
  for (const path of ['', 'a..b', '.a', 'a.', 'a.$b', 'a\0b', '__proto__', 'a.constructor', 'prototype.x']) {
    invalid(() => validateFilter({ [path]: 1 }));
  }
});

test('validateFilter rejects a field path deeper than 32 segments', () => {
  validateFilter({ [Array(32).fill('a').join('.')]: 1 });
  invalid(() => validateFilter({ [Array(33).fill('a').join('.')]: 1 }));
});

test('validateFilter rejects nesting deeper than 32', () => {
  let filter: JsonObject = { a: 1 };
  for (let i = 0; i < 40; i++) filter = { $and: [filter] };
  const error = invalid(() => validateFilter(filter));
  assert.match(error.message, 'depth');
});

test('validateFilter rejects non-finite numbers from non-JSON sources', () => {
  invalid(() => validateFilter({ a: Number.POSITIVE_INFINITY }));
  invalid(() => validateFilter({ a: { $gt: Number.NaN } }));
});

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

// --- $regex ---------------------------------------------------------------------------------------------

test('$regex matches strings', () => {
  assert.ok(matches({ name: { $regex: '^Ad' } }, { name: 'Ada' }));
  assert.not.ok(matches({ name: { $regex: '^ad' } }, { name: 'Ada' }));
});

test('$regex with $options "i" ignores case', () => {
  assert.ok(matches({ name: { $regex: '^ad', $options: 'i' } }, { name: 'Ada' }));
  assert.ok(matches({ name: { $regex: 'É', $options: 'i' } }, { name: 'café' }));
});

test('$regex never matches numbers, nulls or missing fields', () => {
  assert.not.ok(matches({ a: { $regex: '1' } }, { a: 1 }));
  assert.not.ok(matches({ a: { $regex: '' } }, { a: null }));
  assert.not.ok(matches({ a: { $regex: '' } }, {}));
});

test('$regex matches string elements of arrays', () => {
  assert.ok(matches({ tags: { $regex: '^b' } }, { tags: ['a', 'bc'] }));
  assert.not.ok(matches({ tags: { $regex: '^b' } }, { tags: ['a', 5] }));
});

test('$regex dot matches a carriage return but not a newline, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: '^a.b$' } }, { a: 'a\rb' }));
  assert.not.ok(matches({ a: { $regex: '^a.b$' } }, { a: 'a\nb' }));
});

test('$regex dollar also matches before a final newline, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: 'x$' } }, { a: 'x\n' }));
  assert.not.ok(matches({ a: { $regex: 'x$' } }, { a: 'x\ny' }));
});

test('$regex \\s is ASCII whitespace, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: '^a\\sb$' } }, { a: 'a\tb' }));
  assert.not.ok(matches({ a: { $regex: '^a\\sb$' } }, { a: 'a\u00a0b' }));
  assert.ok(matches({ a: { $regex: '^a\\Sb$' } }, { a: 'a\u00a0b' }));
});

test('$regex \\A, \\z and \\Z anchor like PCRE', () => {
  assert.ok(matches({ a: { $regex: '\\Aab\\z' } }, { a: 'ab' }));
  assert.not.ok(matches({ a: { $regex: 'ab\\z' } }, { a: 'ab\n' }));
  assert.ok(matches({ a: { $regex: 'ab\\Z' } }, { a: 'ab\n' }));
});

test('$regex dot matches one code point, as PCRE in UTF mode', () => {
  assert.ok(matches({ a: { $regex: '^.$' } }, { a: '😀' }));
});

test('$regex treats escaped metacharacters literally', () => {
  assert.ok(matches({ a: { $regex: '^a\\.b$' } }, { a: 'a.b' }));
  assert.not.ok(matches({ a: { $regex: '^a\\.b$' } }, { a: 'axb' }));
  assert.ok(matches({ a: { $regex: '^[.$]+$' } }, { a: '.$' }));
});

test('$regex reads any escaped non-alphanumeric character as itself, as PCRE does', () => {
  assert.ok(matches({ a: { $regex: '^\\"a\\_b\\-c\\é$' } }, { a: '"a_b-cé' }));
  assert.ok(matches({ a: { $regex: '^[\\w\\-]+$' } }, { a: 'a-b' }));
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

// --- compareValues --------------------------------------------------------------------------------------

test('compareValues orders types null < numbers < strings < objects < arrays < booleans', () => {
  const ordered: JsonValue[] = [null, -1, 5, '', 'a', {}, { a: 1 }, [], [1], false, true];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const expected = Math.sign(i - j);
      assert.is(Math.sign(compareValues(ordered[i]!, ordered[j]!)), expected, `${i} vs ${j}`);
    }
  }
});

test('compareValues orders numbers by value', () => {
  assert.is(compareValues(1, 1.0), 0);
  assert.ok(compareValues(-2, 1.5) < 0);
  assert.is(compareValues(0, -0), 0);
});

test('compareValues orders strings by code point, not locale', () => {
  assert.ok(compareValues('Z', 'a') < 0);
  assert.ok(compareValues('a', 'ab') < 0);
  assert.ok(compareValues('z', 'é') < 0);
});

test('compareValues orders characters above U+FFFF after U+E000..U+FFFF, as UTF-8 does', () => {
  assert.ok(compareValues('\uffff', '😀') < 0);
  assert.ok(compareValues('\ue000', '\ud800\udc00') < 0);
});

test('compareValues compares objects field by field, type before name before value', () => {
  assert.ok(compareValues({ a: 1 }, { b: 0 }) < 0);
  assert.ok(compareValues({ a: 2 }, { a: 1, b: 1 }) > 0);
  assert.ok(compareValues({ b: 1 }, { a: 'x' }) < 0);
  assert.ok(compareValues({ a: 1 }, { a: 1, b: null }) < 0);
});

test('compareValues compares arrays element by element, shorter first', () => {
  assert.ok(compareValues([1, 2], [1, 3]) < 0);
  assert.ok(compareValues([1], [1, 0]) < 0);
  assert.ok(compareValues([2], [1, 5]) > 0);
});

// --- validateSort, sortKeyOf, comparePositions ----------------------------------------------------------

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

// --- validateFields and projectData ---------------------------------------------------------------------

test('validateFields treats an absent list as the whole of data', () => {
  assert.is(validateFields(undefined), undefined);
  assert.is(validateFields(null), undefined);
});

test('validateFields returns the paths without duplicates', () => {
  assert.equal(validateFields(['a', 'b.c', 'a']), ['a', 'b.c']);
});

test('validateFields rejects a value that is not an array of strings', () => {
  assert.is(invalid(() => validateFields('a')).violations[0]?.path, 'fields');
  assert.is(invalid(() => validateFields(['a', 5])).violations[0]?.path, 'fields[1]');
});

test('validateFields rejects bad paths', () => {
  assert.is(invalid(() => validateFields(['a', '$b'])).violations[0]?.path, 'fields[1]');
  invalid(() => validateFields(['']));
  invalid(() => validateFields(['a.__proto__']));
});

test('validateFields rejects a path inside another listed path, as MongoDB does', () => {
  assert.match(invalid(() => validateFields(['a', 'a.b'])).message, 'collision');
  validateFields(['a', 'ab']);
});

test('projectData keeps only the listed top-level fields', () => {
  assert.equal(projectData({ a: 1, b: 2, c: 3 }, ['a', 'c']), { a: 1, c: 3 });
});

test('projectData keeps the document field order', () => {
  assert.equal(Object.keys(projectData({ a: 1, b: 2, c: 3 }, ['c', 'a'])), ['a', 'c']);
});

test('projectData projects into nested objects', () => {
  assert.equal(projectData({ a: { b: 1, c: 2 }, d: 3 }, ['a.b']), { a: { b: 1 } });
});

test('projectData keeps an object that lacks the projected subfield as an empty object', () => {
  assert.equal(projectData({ a: { c: 2 } }, ['a.b']), { a: {} });
});

test('projectData omits missing paths and paths through scalars', () => {
  assert.equal(projectData({ a: 5 }, ['a.b', 'x']), {});
});

test('projectData projects each element of an array of objects and drops scalars', () => {
  assert.equal(projectData({ a: [{ b: 1, c: 2 }, 7, { c: 3 }] }, ['a.b']), { a: [{ b: 1 }, {}] });
});

test('projectData recurses into nested arrays', () => {
  assert.equal(projectData({ a: [[{ b: 1, c: 2 }]] }, ['a.b']), { a: [[{ b: 1 }]] });
});

test('projectData includes a whole array or object by its own path', () => {
  assert.equal(projectData({ a: [1, { b: 2 }], c: { d: 1 } }, ['a', 'c']), { a: [1, { b: 2 }], c: { d: 1 } });
});

test('projectData treats numeric segments as field names', () => {
  assert.equal(projectData({ a: [5, 6] }, ['a.0']), { a: [] });
  assert.equal(projectData({ a: { '0': 5 } }, ['a.0']), { a: { '0': 5 } });
});

test('projectData with an empty list gives an empty object', () => {
  assert.equal(projectData({ a: 1 }, []), {});
});

test('projectData does not mutate the data', () => {
  const data = { a: { b: 1, c: 2 } };
  projectData(data, ['a.b']);
  assert.equal(data, { a: { b: 1, c: 2 } });
});

test.run();

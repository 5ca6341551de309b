import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../../support/pattern-engine.js';
import type { JsonObject } from '../../../shared/domain/document.js';
import { matchesFilter, validateFilter } from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';

/** What validateFilter accepts and refuses, naming the offending path. */

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

test('validateFilter refuses a literal holding an unpaired surrogate, naming where (MongoDB would match U+FFFD)', () => {
  for (const [filter, path] of [
    [{ name: '\ud800' }, 'filter.name'],
    [{ name: { $in: ['ok', 'x\udc00'] } }, 'filter.name.$in[1]'],
    [{ address: { ['\ud800']: 1 } }, 'filter.address.\ud800'],
    [{ name: { $regex: '^\ud800' } }, 'filter.name.$regex'],
  ] as const) {
    const error = invalid(() => validateFilter(filter));
    assert.is(error.violations[0]?.path, path);
    assert.match(error.message, 'unpaired surrogate');
  }
});

test('validateFilter refuses a field path holding an unpaired surrogate', () => {
  const error = invalid(() => validateFilter({ 'a.\udfff': 1 }));
  assert.match(error.message, 'unpaired surrogate');
});

test('validateFilter accepts text with paired surrogates', () => {
  assert.ok(matchesFilter(validateFilter({ '\u{1F600}': '\u{1F600}' }), { '\u{1F600}': '\u{1F600}' }));
});

test.run();

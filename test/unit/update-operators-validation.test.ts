import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../support/pattern-engine.js';
import type { JsonObject } from '../../shared/domain/document.js';
import { applyUpdate } from '../../shared/domain/update/apply-update.js';
import { MAX_EACH_ITEMS } from '../../shared/domain/update/operations.js';
import { fieldsTouchedBy, MAX_UPDATE_PATHS, type UpdateSpec, validateUpdate } from '../../shared/domain/update/update-spec.js';
import { invalid } from '../support/assert-invalid.js';

/** The one violation validateUpdate reports for `raw`. */
function rejection(raw: unknown): { path: string; message: string } {
  const error = invalid(() => validateUpdate(raw));
  assert.is(error.violations.length, 1);
  return error.violations[0]!;
}

// --- The update document -----------------------------------------------------------------------------------

test('validateUpdate returns the update it was given, typed', () => {
  const raw = { $set: { a: 1 }, $inc: { n: 2 } };
  assert.is(validateUpdate(raw), raw);
});

test('validateUpdate rejects an update that is not an object (pipelines are not supported)', () => {
  for (const raw of [[{ $set: { a: 1 } }], 'x', 1, null, undefined]) {
    assert.is(rejection(raw).path, 'update');
  }
});

test('validateUpdate rejects an update with no operator (MongoDB would read it as a replacement)', () => {
  const { path, message } = rejection({});
  assert.is(path, 'update');
  assert.match(message, 'at least one update operator');
});

test('validateUpdate rejects a plain field at the top level, naming it', () => {
  const { path, message } = rejection({ name: 'Ada' });
  assert.is(path, 'update.name');
  assert.match(message, "'name' is not an update operator");
});

test('validateUpdate rejects operators mixed with a plain field, naming the field', () => {
  assert.is(rejection({ $set: { a: 1 }, b: 2 }).path, 'update.b');
});

test('validateUpdate rejects an unknown operator as MongoDB does ("Unknown modifier")', () => {
  const { path, message } = rejection({ $foo: { a: 1 } });
  assert.is(path, 'update.$foo');
  assert.match(message, 'Unknown modifier: $foo');
});

test('validateUpdate refuses MongoDB operators it does not implement, saying they are not supported', () => {
  for (const operator of ['$setOnInsert', '$pullAll', '$bit']) {
    const { path, message } = rejection({ [operator]: { a: 1 } });
    assert.is(path, `update.${operator}`);
    assert.match(message, `${operator} is not supported`);
  }
});

test('validateUpdate rejects an operand that is not an object of field paths', () => {
  for (const operand of [1, 'a', [{ a: 1 }], null]) {
    const { path, message } = rejection({ $set: operand });
    assert.is(path, 'update.$set');
    assert.match(message, 'takes an object of field paths');
  }
});

test('validateUpdate accepts an empty operand, a no-op as in MongoDB 5.0 and later', () => {
  const spec = validateUpdate({ $set: {} });
  assert.equal(applyUpdate({ a: 1 }, spec, new Date()), { a: 1 });
});

test(`validateUpdate accepts ${MAX_UPDATE_PATHS} field paths and refuses one more`, () => {
  const paths = (n: number): JsonObject => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
  validateUpdate({ $set: paths(MAX_UPDATE_PATHS) });
  const { path, message } = rejection({ $set: paths(MAX_UPDATE_PATHS), $unset: { extra: '' } });
  assert.is(path, 'update');
  assert.match(message, `at most ${MAX_UPDATE_PATHS} field paths`);
});

// --- Field paths ---------------------------------------------------------------------------------------------

test('validateUpdate rejects an empty path', () => {
  const { path, message } = rejection({ $set: { '': 1 } });
  assert.is(path, 'update.$set.');
  assert.match(message, 'empty update path');
});

test('validateUpdate rejects a path with an empty segment, naming the path', () => {
  for (const field of ['a..b', '.a', 'a.']) {
    const { path, message } = rejection({ $inc: { [field]: 1 } });
    assert.is(path, `update.$inc.${field}`);
    assert.match(message, 'contains an empty field name');
  }
});

test('validateUpdate refuses the positional operators $, $[] and $[<identifier>] by name', () => {
  for (const field of ['a.$', 'a.$[]', 'a.$[elem].b']) {
    const { path, message } = rejection({ $set: { [field]: 1 } });
    assert.is(path, `update.$set.${field}`);
    assert.match(message, 'positional operators ($, $[], $[<identifier>]) are not supported');
  }
});

test('validateUpdate rejects path segments that break the data key rules', () => {
  const cases: Array<[string, string]> = [
    ['a.$b', 'must not start with $'],
    ['$b', 'must not start with $'],
    ['a.b\0c', 'must not contain NUL'],
    ['__proto__.x', "'__proto__' is not allowed"],
    ['a.constructor', "'constructor' is not allowed"],
  ];
  for (const [field, problem] of cases) {
    const { path, message } = rejection({ $set: { [field]: 1 } });
    assert.is(path, `update.$set.${field}`);
    assert.match(message, problem);
  }
});

test('validateUpdate accepts a path of 32 segments and refuses 33 (data nests at most 32 deep)', () => {
  const deep = (n: number): string => Array.from({ length: n }, (_, i) => `s${i}`).join('.');
  validateUpdate({ $set: { [deep(32)]: 1 } });
  assert.match(rejection({ $set: { [deep(33)]: 1 } }).message, 'more than 32 segments');
});

// --- Conflicting paths -----------------------------------------------------------------------------------

test('validateUpdate refuses the same path under two operators, as MongoDB does', () => {
  const { path, message } = rejection({ $set: { a: 1 }, $inc: { a: 1 } });
  assert.is(path, 'update.$inc.a');
  assert.is(message, "Updating the path 'a' would create a conflict at 'a'");
});

test('validateUpdate refuses a path inside an earlier one, naming the conflict at the earlier path', () => {
  const { path, message } = rejection({ $set: { a: 1 }, $unset: { 'a.b': '' } });
  assert.is(path, 'update.$unset.a.b');
  assert.is(message, "Updating the path 'a.b' would create a conflict at 'a'");
});

test('validateUpdate refuses a path that encloses an earlier one', () => {
  const { message } = rejection({ $set: { 'a.b.c': 1, 'a.b': 2 } });
  assert.is(message, "Updating the path 'a.b' would create a conflict at 'a.b'");
});

test('validateUpdate counts both ends of $rename in conflicts', () => {
  assert.is(rejection({ $rename: { a: 'b' }, $set: { 'a.x': 1 } }).message, "Updating the path 'a.x' would create a conflict at 'a'");
  assert.is(rejection({ $set: { 'b.y': 1 }, $rename: { a: 'b' } }).message, "Updating the path 'b' would create a conflict at 'b'");
  assert.is(rejection({ $rename: { a: 'c', b: 'c' } }).message, "Updating the path 'c' would create a conflict at 'c'");
});

test('validateUpdate accepts sibling paths and paths that only share a prefix of characters', () => {
  validateUpdate({ $set: { 'a.b': 1, 'a.c': 2 }, $inc: { ab: 1, 'a.bc': 1 } });
});

// --- Operands ----------------------------------------------------------------------------------------------

test('validateUpdate requires a number for $inc and $mul, in MongoDB\'s words', () => {
  assert.match(rejection({ $inc: { a: '1' } }).message, 'Cannot increment with non-numeric argument: "1"');
  assert.match(rejection({ $mul: { a: null } }).message, 'Cannot multiply with non-numeric argument: null');
  assert.is(rejection({ $inc: { 'a.b': true } }).path, 'update.$inc.a.b');
});

test('validateUpdate refuses a $inc or $mul past a double\'s range (JSON 1e309) as not finite, not as null', () => {
  const { path, message } = rejection({ $inc: { a: Number.POSITIVE_INFINITY } });
  assert.is(path, 'update.$inc.a');
  assert.match(message, 'numbers must be finite');
  assert.match(rejection({ $mul: { a: Number.NEGATIVE_INFINITY } }).message, 'numbers must be finite');
});

test('validateUpdate requires 1 or -1 for $pop', () => {
  for (const operand of [0, 2, '1', true, null]) {
    const { path, message } = rejection({ $pop: { a: operand } });
    assert.is(path, 'update.$pop.a');
    assert.match(message, '$pop expects 1 or -1');
  }
});

test('validateUpdate accepts $currentDate true, false (MongoDB reads any boolean as a date) and {"$type": "date"}', () => {
  validateUpdate({ $currentDate: { a: true, b: false, c: { $type: 'date' } } });
});

test('validateUpdate refuses $currentDate {"$type": "timestamp"}: JSON data has no BSON timestamp', () => {
  const { path, message } = rejection({ $currentDate: { a: { $type: 'timestamp' } } });
  assert.is(path, 'update.$currentDate.a.$type');
  assert.match(message, '{"$type": "timestamp"} is not supported');
});

test('validateUpdate refuses other $currentDate operands', () => {
  assert.is(rejection({ $currentDate: { a: { $type: 'string' } } }).path, 'update.$currentDate.a.$type');
  assert.match(rejection({ $currentDate: { a: { $type: 'date', x: 1 } } }).message, 'Unrecognized $currentDate option: x');
  assert.match(rejection({ $currentDate: { a: {} } }).message, '$currentDate takes {"$type": "date"}');
  assert.match(rejection({ $currentDate: { a: 'now' } }).message, 'is not valid for $currentDate');
});

test('validateUpdate requires a string path as the target of $rename', () => {
  const { path, message } = rejection({ $rename: { a: 1 } });
  assert.is(path, 'update.$rename.a');
  assert.match(message, "The 'to' field for $rename must be a string");
});

test('validateUpdate refuses $rename onto the same field or along the same path', () => {
  assert.match(rejection({ $rename: { a: 'a' } }).message, 'must differ');
  assert.match(rejection({ $rename: { a: 'a.b' } }).message, 'must not be on the same path');
  assert.match(rejection({ $rename: { 'a.b': 'a' } }).message, 'must not be on the same path');
});

test('validateUpdate checks the target path of $rename like any path', () => {
  assert.match(rejection({ $rename: { a: 'b..c' } }).message, 'contains an empty field name');
  assert.match(rejection({ $rename: { a: 'b.$' } }).message, 'positional operators');
});

test('validateUpdate applies the data rules to values, naming the offending key inside the value', () => {
  const cases: Array<[unknown, string]> = [
    [{ $set: { a: { $b: 1 } } }, 'update.$set.a.$b'],
    [{ $set: { a: [{ 'x.y': 1 }] } }, 'update.$set.a[0].x.y'],
    [{ $min: { a: { b: { constructor: 1 } } } }, 'update.$min.a.b.constructor'],
    [{ $push: { a: { $each: [1, { $x: 2 }] } } }, 'update.$push.a.$each[1].$x'],
    [{ $addToSet: { a: { k: { $gt: 1 } } } }, 'update.$addToSet.a.k.$gt'],
  ];
  for (const [raw, path] of cases) assert.is(rejection(raw).path, path);
});

test('validateUpdate accepts any operand for $unset, which MongoDB ignores', () => {
  validateUpdate({ $unset: { a: '', b: 1, c: true, d: null, e: { x: 1 } } });
});

test('validateUpdate refuses $slice and $position without $each in $push', () => {
  for (const modifier of ['$slice', '$position']) {
    const { path, message } = rejection({ $push: { a: { [modifier]: 1 } } });
    assert.is(path, `update.$push.a.${modifier}`);
    assert.match(message, `${modifier} requires $each`);
  }
});

test('validateUpdate refuses $sort in $push, which is not supported', () => {
  assert.match(rejection({ $push: { a: { $each: [2, 1], $sort: 1 } } }).message, '$sort in $push is not supported');
  assert.match(rejection({ $push: { a: { $sort: 1 } } }).message, '$sort in $push is not supported');
});

test('validateUpdate refuses an unknown clause next to $each in $push', () => {
  const { path, message } = rejection({ $push: { a: { $each: [1], $limit: 2 } } });
  assert.is(path, 'update.$push.a.$limit');
  assert.match(message, 'Unrecognized clause in $push: $limit');
});

test('validateUpdate requires an array for $each', () => {
  assert.match(rejection({ $push: { a: { $each: 1 } } }).message, 'The argument to $each in $push must be an array but it was of type number');
  assert.match(rejection({ $addToSet: { a: { $each: { x: 1 } } } }).message, 'The argument to $each in $addToSet must be an array but it was of type object');
});

test('validateUpdate requires integers for $slice and $position', () => {
  for (const modifier of ['$slice', '$position']) {
    for (const value of [1.5, '1', null]) {
      const { path, message } = rejection({ $push: { a: { $each: [1], [modifier]: value } } });
      assert.is(path, `update.$push.a.${modifier}`);
      assert.match(message, `The value for ${modifier} must be an integer`);
    }
  }
});

test(`validateUpdate accepts ${MAX_EACH_ITEMS} values in $each and refuses more`, () => {
  const items = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  validateUpdate({ $push: { a: { $each: items(MAX_EACH_ITEMS) } } });
  assert.match(rejection({ $push: { a: { $each: items(MAX_EACH_ITEMS + 1) } } }).message, `at most ${MAX_EACH_ITEMS} values`);
  assert.match(rejection({ $addToSet: { a: { $each: items(MAX_EACH_ITEMS + 1) } } }).message, `at most ${MAX_EACH_ITEMS} values`);
});

test('validateUpdate refuses fields next to $each in $addToSet', () => {
  const { path, message } = rejection({ $addToSet: { a: { $each: [1], $slice: 1 } } });
  assert.is(path, 'update.$addToSet.a');
  assert.match(message, '$each must be the only field');
});

test('validateUpdate validates a $pull condition with the query rules, naming the operator where it was written', () => {
  const bad = rejection({ $pull: { scores: { $where: 'x' } } });
  assert.is(bad.path, 'update.$pull.scores.$where');
  assert.match(bad.message, 'unsupported operator $where');
  assert.is(rejection({ $pull: { items: { qty: { $elemMatch: {} } } } }).path, 'update.$pull.items.qty.$elemMatch');
  assert.is(rejection({ $pull: { items: { $or: [] } } }).path, 'update.$pull.items.$or');
  assert.is(rejection({ $pull: { items: { $gt: 1, b: 2 } } }).path, 'update.$pull.items');
});

// --- fieldsTouchedBy and unvalidated specs ------------------------------------------------------------------------

test('fieldsTouchedBy lists the top-level fields an update may change, both ends of $rename included', () => {
  const spec = validateUpdate({ $set: { 'a.b': 1, c: 2 }, $inc: { 'a.n': 1 }, $rename: { 'd.x': 'e.y' }, $pull: { f: 1 } });
  assert.equal([...fieldsTouchedBy(spec)].sort(), ['a', 'c', 'd', 'e', 'f']);
});

test('applyUpdate validates an update that did not go through validateUpdate', () => {
  const spec = { $set: { 'a.$': 1 } } as UpdateSpec;
  const error = invalid(() => applyUpdate({}, spec, new Date()));
  assert.is(error.violations[0]?.path, 'update.$set.a.$');
});

test.run();

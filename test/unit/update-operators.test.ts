import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import { applyUpdate } from '../../shared/domain/update/apply-update.js';
import { failure, update } from '../support/apply-update.js';

/**
 * The field operators ($set $unset $inc $mul $min $max $currentDate $rename), paths into arrays, and what
 * holds for every update: a new object, the input untouched, MongoDB's order of new fields, the data rules.
 */

/** JSON text, to assert the order of fields (assert.equal ignores it). */
function text(value: JsonValue): string {
  return JSON.stringify(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// --- What holds for every update -------------------------------------------------------------------------------

test('applyUpdate returns a new object and leaves the input untouched', () => {
  const data = deepFreeze({ a: { b: 1 }, list: [1, 2], keep: { x: 1 } });
  const result = update(data, { $set: { 'a.c': 2 }, $push: { list: 3 }, $inc: { 'a.b': 1 } });
  assert.equal(result, { a: { b: 2, c: 2 }, list: [1, 2, 3], keep: { x: 1 } });
  assert.equal(data, { a: { b: 1 }, list: [1, 2], keep: { x: 1 } });
});

test('applyUpdate shares no object with the input, even the parts it did not change', () => {
  const data: JsonObject = { keep: { x: [1] } };
  const result = update(data, { $set: { other: 1 } });
  assert.is.not(result, data);
  assert.is.not(result['keep'], data['keep']);
});

test('applyUpdate shares no object with the update: changing the update later does not change the result', () => {
  const value = { nested: { n: 1 } };
  const raw = { $set: { a: value } };
  const result = update({}, raw);
  value.nested.n = 2;
  assert.equal(result, { a: { nested: { n: 1 } } });
});

test('a failing update changes nothing: the input stays as it was, even after earlier operators succeeded', () => {
  const data = deepFreeze({ a: 1, s: 'text' });
  failure(data, { $set: { a: 2, b: 3 }, $inc: { s: 1 } });
  assert.equal(data, { a: 1, s: 'text' });
});

test('new fields are added in the order MongoDB applies paths: by field name, not as written', () => {
  assert.is(text(update({ z: 0 }, { $set: { b: 1, a: 1 }, $inc: { c: 1 } })), '{"z":0,"a":1,"b":1,"c":1}');
  assert.is(text(update({}, { $set: { 'x.b': 1, 'x.a': 2 } })), '{"x":{"a":2,"b":1}}');
});

test('numeric field names are applied in numeric order, so the first error is at a.9, not a.10', () => {
  assert.is(failure({ a: 'x' }, { $set: { 'a.10': 1, 'a.9': 1 } }).path, 'update.$set.a.9');
});

test('an existing field keeps its place when its value changes', () => {
  assert.is(text(update({ a: 1, b: 2, c: 3 }, { $set: { b: 20 }, $inc: { a: 10 } })), '{"a":11,"b":20,"c":3}');
});

test('the result must pass the data rules: nesting deeper than 32 is refused, naming the data path', () => {
  const deepPath = Array.from({ length: 31 }, (_, i) => `l${i}`).join('.');
  update({}, { $set: { [deepPath]: { x: 1 } } }); // the object lands at depth 32: allowed
  const error = failure({}, { $set: { [deepPath]: { x: { y: 1 } } } });
  assert.match(error.path, /^data\.l0\.l1\./);
  assert.match(error.message, 'nesting depth exceeds 32');
});

// --- $set ------------------------------------------------------------------------------------------------------

test('$set sets a top-level field, replacing its value whatever its type', () => {
  assert.equal(update({ a: 'x' }, { $set: { a: { b: [1] } } }), { a: { b: [1] } });
});

test('$set creates the missing objects along a dotted path', () => {
  assert.equal(update({ a: { keep: 1 } }, { $set: { 'a.b.c': 1 } }), { a: { keep: 1, b: { c: 1 } } });
});

test('$set cannot create a field inside a scalar: "Cannot create field \'b\' in element {a: 1}"', () => {
  const { path, message } = failure({ a: 1 }, { $set: { 'a.b': 2 } });
  assert.is(path, 'update.$set.a.b');
  assert.is(message, "Cannot create field 'b' in element {a: 1}");
});

test('$set cannot create a field inside null or a string either', () => {
  assert.is(failure({ a: { n: null } }, { $set: { 'a.n.x': 1 } }).message, "Cannot create field 'x' in element {n: null}");
  assert.is(failure({ s: 'abc' }, { $set: { 's.0': 'z' } }).message, `Cannot create field '0' in element {s: "abc"}`);
});

test('$set cannot create a field inside a scalar array element, named by its index as MongoDB does', () => {
  assert.is(failure({ a: [1] }, { $set: { 'a.0.b': 2 } }).message, "Cannot create field 'b' in element {0: 1}");
});

test('$set names a numeric field of a new or existing object as a field, not an index', () => {
  assert.equal(update({}, { $set: { 'x.0': 'a' } }), { x: { '0': 'a' } });
  assert.equal(update({ x: { '1': 'a' } }, { $set: { 'x.1': 'b' } }), { x: { '1': 'b' } });
});

// --- Paths into arrays -------------------------------------------------------------------------------------------

test('a numeric segment addresses an element of an existing array', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $set: { 'a.1': 20 } }), { a: [1, 20, 3] });
  assert.equal(update({ a: [{ b: 1 }, { b: 2 }] }, { $inc: { 'a.1.b': 5 } }), { a: [{ b: 1 }, { b: 7 }] });
});

test('$set past the end of an array pads it with null, as MongoDB does', () => {
  assert.equal(update({ a: [1] }, { $set: { 'a.3': 4 } }), { a: [1, null, null, 4] });
  assert.equal(update({ a: [] }, { $set: { 'a.1.b': 1 } }), { a: [null, { b: 1 }] });
});

test('other creating operators pad an array the same way', () => {
  assert.equal(update({ a: [] }, { $inc: { 'a.2': 5 } }), { a: [null, null, 5] });
  assert.equal(update({ a: [0] }, { $push: { 'a.1': 'x' } }), { a: [0, ['x']] });
});

test('an update pads arrays with at most 10,000 null elements', () => {
  const padded = update({ a: [] }, { $set: { 'a.10000': 1 } })['a'] as JsonValue[];
  assert.is(padded.length, 10001);
  const { path, message } = failure({ a: [], b: [] }, { $set: { 'a.5000': 1, 'b.5001': 1 } });
  assert.is(path, 'update.$set.b.5001');
  assert.match(message, 'at most 10000 padding elements');
});

test('a field name on an array addresses nothing (no implicit traversal, unlike a query)', () => {
  const { message } = failure({ a: [{ b: 1 }] }, { $set: { 'a.b': 2 } });
  assert.is(message, `Cannot create field 'b' in element {a: [{"b":1}]}`);
});

test('leading zeros still make an index on an array, as in MongoDB\'s update code', () => {
  assert.equal(update({ a: [1, 2] }, { $set: { 'a.01': 9 } }), { a: [1, 9] });
});

// --- $unset ----------------------------------------------------------------------------------------------------

test('$unset removes a field, top-level or nested', () => {
  assert.equal(update({ a: 1, b: { c: 2, d: 3 } }, { $unset: { a: '', 'b.c': 1 } }), { b: { d: 3 } });
});

test('$unset of a missing field is a no-op', () => {
  assert.equal(update({ a: 1 }, { $unset: { b: '', 'c.d': '' } }), { a: 1 });
});

test('$unset through a scalar or through an array by field name is a no-op, not an error', () => {
  assert.equal(update({ a: 1, l: [{ b: 1 }] }, { $unset: { 'a.b': '', 'l.b': '' } }), { a: 1, l: [{ b: 1 }] });
});

test('$unset of an array element sets it to null, so that the other elements keep their positions', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $unset: { 'a.1': '' } }), { a: [1, null, 3] });
});

test('$unset leaves an emptied object in place', () => {
  assert.equal(update({ a: { b: 1 } }, { $unset: { 'a.b': '' } }), { a: {} });
});

// --- $inc and $mul -------------------------------------------------------------------------------------------

test('$inc adds to a number, also a negative or fractional amount', () => {
  assert.equal(update({ a: 1, b: 10, c: 0.5 }, { $inc: { a: 2, b: -3, c: 0.25 } }), { a: 3, b: 7, c: 0.75 });
});

test('$inc creates a missing field with the amount', () => {
  assert.equal(update({}, { $inc: { 'stats.visits': 5 } }), { stats: { visits: 5 } });
});

test('$inc on a non-number fails, naming the field and its type', () => {
  const { path, message } = failure({ a: 'text' }, { $inc: { a: 1 } });
  assert.is(path, 'update.$inc.a');
  assert.is(message, "Cannot apply $inc to a value of non-numeric type: the field 'a' is of type string");
});

test('$inc on null, an object, an array or a boolean fails too', () => {
  const cases: Array<[JsonValue, string]> = [[null, 'null'], [{}, 'object'], [[1], 'array'], [true, 'boolean']];
  for (const [value, type] of cases) {
    assert.match(failure({ a: { b: value } }, { $inc: { 'a.b': 1 } }).message, `the field 'a.b' is of type ${type}`);
  }
});

test('$inc that overflows to Infinity fails: data holds finite numbers only', () => {
  const { path, message } = failure({ a: Number.MAX_VALUE }, { $inc: { a: Number.MAX_VALUE } });
  assert.is(path, 'update.$inc.a');
  assert.match(message, 'Infinity');
});

test('$mul multiplies a number', () => {
  assert.equal(update({ price: 10, qty: 3 }, { $mul: { price: 1.25, qty: -2 } }), { price: 12.5, qty: -6 });
});

test('$mul creates a missing field with 0, as MongoDB does', () => {
  assert.equal(update({}, { $mul: { a: 7 } }), { a: 0 });
});

test('$mul on a non-number fails, naming the field and its type', () => {
  assert.is(failure({ a: [2] }, { $mul: { a: 2 } }).message, "Cannot apply $mul to a value of non-numeric type: the field 'a' is of type array");
});

test('$mul that overflows fails', () => {
  assert.match(failure({ a: 1e300 }, { $mul: { a: 1e300 } }).message, 'must be finite');
});

// --- $min and $max --------------------------------------------------------------------------------------------

test('$min replaces a value only with a lower one', () => {
  assert.equal(update({ lo: 5, hi: 5 }, { $min: { lo: 3, hi: 7 } }), { lo: 3, hi: 5 });
});

test('$max replaces a value only with a higher one', () => {
  assert.equal(update({ lo: 5, hi: 5 }, { $max: { lo: 3, hi: 7 } }), { lo: 5, hi: 7 });
});

test('$min and $max set a missing field to the operand', () => {
  assert.equal(update({}, { $min: { a: 1 }, $max: { b: 'x' } }), { a: 1, b: 'x' });
});

test('$min and $max compare across types in MongoDB\'s order: null < numbers < strings < objects < arrays < booleans', () => {
  assert.equal(update({ a: 5 }, { $min: { a: null } }), { a: null });
  assert.equal(update({ a: 5 }, { $min: { a: 'text' } }), { a: 5 });
  assert.equal(update({ a: 'text' }, { $max: { a: { x: 1 } } }), { a: { x: 1 } });
  assert.equal(update({ a: [1] }, { $max: { a: false } }), { a: false });
  assert.equal(update({ a: true }, { $max: { a: [9] } }), { a: true });
});

test('$min and $max compare strings by code point, objects field by field, arrays element by element', () => {
  assert.equal(update({ s: 'b' }, { $min: { s: 'B' } }), { s: 'B' });
  assert.equal(update({ o: { a: 1, b: 2 } }, { $max: { o: { a: 1, b: 3 } } }), { o: { a: 1, b: 3 } });
  assert.equal(update({ l: [1, 2] }, { $min: { l: [1, 1, 9] } }), { l: [1, 1, 9] });
});

// --- $currentDate ----------------------------------------------------------------------------------------------

test('$currentDate sets the update time as an ISO-8601 string, creating or replacing the field', () => {
  assert.equal(update({ seen: 'old' }, { $currentDate: { seen: true, 'meta.at': { $type: 'date' } } }), {
    seen: '2024-05-06T07:08:09.010Z',
    meta: { at: '2024-05-06T07:08:09.010Z' },
  });
});

test('$currentDate with false also sets the date, as in MongoDB', () => {
  assert.equal(update({}, { $currentDate: { at: false } }), { at: '2024-05-06T07:08:09.010Z' });
});

// --- $rename ---------------------------------------------------------------------------------------------------

test('$rename moves a value to a new field, added at the end', () => {
  assert.is(text(update({ a: 1, b: 2 }, { $rename: { a: 'z' } })), '{"b":2,"z":1}');
});

test('$rename onto an existing field replaces its value where it stands', () => {
  assert.is(text(update({ a: 1, b: 2, c: 3 }, { $rename: { c: 'a' } })), '{"a":3,"b":2}');
});

test('$rename moves into and out of nested objects, creating the destination path', () => {
  assert.equal(update({ a: { b: 1, keep: 2 } }, { $rename: { 'a.b': 'x.y.z' } }), { a: { keep: 2 }, x: { y: { z: 1 } } });
});

test('$rename of a missing field is a no-op and leaves the destination alone', () => {
  assert.equal(update({ b: 2 }, { $rename: { a: 'b' } }), { b: 2 });
});

test('$rename may move an array, and may overwrite one', () => {
  assert.equal(update({ a: [1, 2], b: [3] }, { $rename: { a: 'b' } }), { b: [1, 2] });
});

test('$rename refuses a source inside an array', () => {
  const { path, message } = failure({ a: [{ b: 1 }] }, { $rename: { 'a.0.b': 'c' } });
  assert.is(path, 'update.$rename.a.0.b');
  assert.is(message, "The source field for $rename cannot be an array element: 'a.0.b' goes through the array 'a'");
});

test('$rename refuses a destination inside an array', () => {
  const { message } = failure({ a: 1, l: [{}] }, { $rename: { a: 'l.0.x' } });
  assert.is(message, "The destination field for $rename cannot be an array element: 'l.0.x' goes through the array 'l'");
  assert.match(failure({ a: 1, l: [] }, { $rename: { a: 'l.x' } }).message, 'destination field for $rename cannot be an array element');
});

test('$rename fails on a source path blocked by a scalar or by a field name on an array', () => {
  assert.is(failure({ a: 1 }, { $rename: { 'a.b': 'c' } }).message, 'Cannot use the part (b) of (a.b) to traverse the element ({a: 1})');
  assert.match(failure({ a: [{ b: 1 }] }, { $rename: { 'a.b': 'c' } }).message, 'Cannot use the part (b) of (a.b)');
});

test('$rename of a missing array element is a no-op', () => {
  assert.equal(update({ a: [1] }, { $rename: { 'a.5': 'b' } }), { a: [1] });
});

test('$rename cannot create its destination through a scalar', () => {
  assert.is(failure({ a: 1, s: 'x' }, { $rename: { a: 's.t' } }).message, `Cannot create field 't' in element {s: "x"}`);
});

test.run();

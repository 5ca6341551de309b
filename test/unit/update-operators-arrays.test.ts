import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../support/pattern-engine.js';
import type { JsonObject } from '../../shared/domain/document.js';
import { failure, update } from '../support/apply-update.js';

/** The array operators: $push (with $each, $position, $slice), $addToSet (with $each), $pull, $pop. */

// --- $push -----------------------------------------------------------------------------------------------------

test('$push appends a value', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: 3 } }), { a: [1, 2, 3] });
});

test('$push appends an array as one element', () => {
  assert.equal(update({ a: [1] }, { $push: { a: [2, 3] } }), { a: [1, [2, 3]] });
});

test('$push creates a missing field as an array of the value', () => {
  assert.equal(update({}, { $push: { 'x.tags': 'new' } }), { x: { tags: ['new'] } });
});

test('$push on a non-array fails, naming the field and its type', () => {
  const { path, message } = failure({ a: { b: 1 } }, { $push: { a: 1 } });
  assert.is(path, 'update.$push.a');
  assert.is(message, "The field 'a' must be an array but is of type object");
});

test('$push with $each appends each value, in order', () => {
  assert.equal(update({ a: [1] }, { $push: { a: { $each: [2, [3], { x: 4 }] } } }), { a: [1, 2, [3], { x: 4 }] });
});

test('$push with an empty $each changes nothing, and creates an empty array when the field is missing', () => {
  assert.equal(update({ a: [1] }, { $push: { a: { $each: [] } } }), { a: [1] });
  assert.equal(update({}, { $push: { a: { $each: [] } } }), { a: [] });
});

test('$position 0 inserts at the start, a positive position before that element', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $push: { a: { $each: ['x', 'y'], $position: 0 } } }), { a: ['x', 'y', 1, 2, 3] });
  assert.equal(update({ a: [1, 2, 3] }, { $push: { a: { $each: ['x'], $position: 2 } } }), { a: [1, 2, 'x', 3] });
});

test('$position past the end appends', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: { $each: ['x'], $position: 10 } } }), { a: [1, 2, 'x'] });
});

test('a negative $position counts from the end: -1 inserts before the last element', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $push: { a: { $each: ['x'], $position: -1 } } }), { a: [1, 2, 'x', 3] });
  assert.equal(update({ a: [1, 2, 3] }, { $push: { a: { $each: ['x'], $position: -3 } } }), { a: ['x', 1, 2, 3] });
});

test('a negative $position beyond the start inserts at the start', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: { $each: ['x'], $position: -10 } } }), { a: ['x', 1, 2] });
});

test('$slice 0 empties the array', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: { $each: [3], $slice: 0 } } }), { a: [] });
});

test('a positive $slice keeps the first elements', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: { $each: [3, 4], $slice: 3 } } }), { a: [1, 2, 3] });
});

test('a negative $slice keeps the last elements', () => {
  assert.equal(update({ a: [1, 2] }, { $push: { a: { $each: [3, 4], $slice: -3 } } }), { a: [2, 3, 4] });
});

test('a $slice longer than the array keeps it whole', () => {
  assert.equal(update({ a: [1] }, { $push: { a: { $each: [2], $slice: 5 } } }), { a: [1, 2] });
  assert.equal(update({ a: [1] }, { $push: { a: { $each: [2], $slice: -5 } } }), { a: [1, 2] });
});

test('$slice applies after $position', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $push: { a: { $each: ['x'], $position: 0, $slice: 2 } } }), { a: ['x', 1] });
});

test('$slice with an empty $each trims the array alone', () => {
  assert.equal(update({ a: [1, 2, 3, 4] }, { $push: { a: { $each: [], $slice: -2 } } }), { a: [3, 4] });
});

test('$slice applies to the array $push creates', () => {
  assert.equal(update({}, { $push: { a: { $each: [1, 2, 3], $slice: -2 } } }), { a: [2, 3] });
});

// --- $addToSet ----------------------------------------------------------------------------------------------

test('$addToSet appends a value that is not in the array', () => {
  assert.equal(update({ a: [1, 2] }, { $addToSet: { a: 3 } }), { a: [1, 2, 3] });
});

test('$addToSet leaves the array alone when the value is already in it', () => {
  assert.equal(update({ a: [1, 2] }, { $addToSet: { a: 2 } }), { a: [1, 2] });
});

test('$addToSet with $each appends each absent value once, in order', () => {
  assert.equal(update({ a: [1] }, { $addToSet: { a: { $each: [2, 1, 3, 2] } } }), { a: [1, 2, 3] });
});

test('$addToSet creates a missing field as an array of the distinct values', () => {
  assert.equal(update({}, { $addToSet: { a: { $each: ['x', 'y', 'x'] } } }), { a: ['x', 'y'] });
  assert.equal(update({}, { $addToSet: { a: 'x' } }), { a: ['x'] });
  assert.equal(update({}, { $addToSet: { a: { $each: [] } } }), { a: [] });
});

test('$addToSet tells values of different types apart: 1, "1" and true are three values', () => {
  assert.equal(update({ a: [1] }, { $addToSet: { a: { $each: ['1', true, 1] } } }), { a: [1, '1', true] });
});

test('$addToSet compares objects field by field in order: the same fields in another order are another value', () => {
  assert.equal(update({ a: [{ x: 1, y: 2 }] }, { $addToSet: { a: { x: 1, y: 2 } } }), { a: [{ x: 1, y: 2 }] });
  assert.equal(update({ a: [{ x: 1, y: 2 }] }, { $addToSet: { a: { y: 2, x: 1 } } }), { a: [{ x: 1, y: 2 }, { y: 2, x: 1 }] });
});

test('$addToSet adds an array as one element, compared as a whole', () => {
  assert.equal(update({ a: [[1, 2]] }, { $addToSet: { a: { $each: [[1, 2], [2, 1]] } } }), { a: [[1, 2], [2, 1]] });
});

test('$addToSet on a non-array fails, naming the field and its type', () => {
  const { path, message } = failure({ a: 'x' }, { $addToSet: { a: 1 } });
  assert.is(path, 'update.$addToSet.a');
  assert.is(message, "Cannot apply $addToSet to non-array field: the field 'a' has non-array type string");
});

// --- $pull -----------------------------------------------------------------------------------------------------

test('$pull removes every element equal to a value', () => {
  assert.equal(update({ a: [1, 2, 1, 3] }, { $pull: { a: 1 } }), { a: [2, 3] });
});

test('$pull leaves the array alone when nothing matches', () => {
  assert.equal(update({ a: [1, 2] }, { $pull: { a: 5 } }), { a: [1, 2] });
});

test('$pull by an array value removes only elements equal to it, in the same order', () => {
  assert.equal(update({ a: [[1, 2], [2, 1], 1] }, { $pull: { a: [1, 2] } }), { a: [[2, 1], 1] });
});

test('$pull with an operator condition removes the elements that satisfy it', () => {
  assert.equal(update({ a: [3, 6, 9, 'x'] }, { $pull: { a: { $gte: 6 } } }), { a: [3, 'x'] });
  assert.equal(update({ a: ['a', 'b', 'c'] }, { $pull: { a: { $in: ['a', 'c'] } } }), { a: ['b'] });
  assert.equal(update({ a: ['apple', 'berry'] }, { $pull: { a: { $regex: '^ap' } } }), { a: ['berry'] });
});

test('$pull with an operator condition on an element that is an array matches when one of its items does, as a query', () => {
  assert.equal(update({ a: [[1, 7], [1, 2]] }, { $pull: { a: { $gte: 6 } } }), { a: [[1, 2]] });
});

test('$pull with a document condition removes the objects that match it as a query, extra fields allowed', () => {
  const data: JsonObject = { results: [{ item: 'A', score: 5 }, { item: 'B', score: 8, comment: 'ok' }, { item: 'B', score: 9 }] };
  assert.equal(update(data, { $pull: { results: { score: 8, item: 'B' } } }), { results: [{ item: 'A', score: 5 }, { item: 'B', score: 9 }] });
});

test('$pull with a document condition may use operators on the fields of each element', () => {
  const data: JsonObject = { r: [{ s: 1 }, { s: 6 }, { s: 9, t: { u: 1 } }] };
  assert.equal(update(data, { $pull: { r: { s: { $gt: 5 }, 't.u': { $exists: false } } } }), { r: [{ s: 1 }, { s: 9, t: { u: 1 } }] });
  assert.equal(update(data, { $pull: { r: { $or: [{ s: 1 }, { s: 9 }] } } }), { r: [{ s: 6 }] });
});

test('$pull with a document condition leaves elements that are not objects', () => {
  assert.equal(update({ a: [1, { b: 1 }, [{ b: 1 }]] }, { $pull: { a: { b: 1 } } }), { a: [1, [{ b: 1 }]] });
});

test('$pull with an empty document removes every object element', () => {
  assert.equal(update({ a: [1, {}, { b: 2 }, 'x'] }, { $pull: { a: {} } }), { a: [1, 'x'] });
});

test('$pull of a missing field is a no-op', () => {
  assert.equal(update({ a: { b: {} } }, { $pull: { x: 1, 'a.b.c.d': 1 } }), { a: { b: {} } });
});

test('$pull fails on a path blocked by a scalar', () => {
  const { path, message } = failure({ a: 1 }, { $pull: { 'a.b': 1 } });
  assert.is(path, 'update.$pull.a.b');
  assert.is(message, 'Cannot use the part (b) of (a.b) to traverse the element ({a: 1})');
});

test('$pull on a non-array fails', () => {
  assert.is(failure({ a: 'x' }, { $pull: { a: 'x' } }).message, "Cannot apply $pull to a non-array value: the field 'a' is of type string");
});

// --- $pop ------------------------------------------------------------------------------------------------------

test('$pop 1 removes the last element', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $pop: { a: 1 } }), { a: [1, 2] });
});

test('$pop -1 removes the first element', () => {
  assert.equal(update({ a: [1, 2, 3] }, { $pop: { a: -1 } }), { a: [2, 3] });
});

test('$pop leaves an empty array empty', () => {
  assert.equal(update({ a: [] }, { $pop: { a: 1 } }), { a: [] });
});

test('$pop of a missing field or a missing array element is a no-op', () => {
  assert.equal(update({ l: [[1]] }, { $pop: { a: 1, 'l.3': 1 } }), { l: [[1]] });
});

test('$pop on a non-array fails, naming the field and its type', () => {
  const { path, message } = failure({ a: 5 }, { $pop: { a: 1 } });
  assert.is(path, 'update.$pop.a');
  assert.is(message, "Path 'a' contains an element of non-array type 'number'");
});

test('$pop fails on a path blocked by a scalar or by a field name on an array', () => {
  assert.is(failure({ a: 'foo' }, { $pop: { 'a.b': 1 } }).message, `Cannot use the part (b) of (a.b) to traverse the element ({a: "foo"})`);
  assert.match(failure({ a: [] }, { $pop: { 'a.b': 1 } }).message, 'Cannot use the part (b) of (a.b)');
});

test('array operators reach an array inside an array by index', () => {
  assert.equal(update({ m: [[1], [2]] }, { $push: { 'm.1': 3 }, $pop: { 'm.0': 1 } }), { m: [[], [2, 3]] });
});

test.run();

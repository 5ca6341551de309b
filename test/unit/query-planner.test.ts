import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../shared/domain/document.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import { concat, encodePart, prefixEnd } from '../../shared/domain/indexes/key-encoding.js';
import { planQuery, positionKey } from '../../shared/domain/indexes/query-planner.js';
import { EMPTY_ARRAY_SORT_KEY, validateFilter } from '../../shared/domain/query/index.js';

const onAB: IndexDefinition = { name: 'on_a_b', keys: [['a.b', 1]], unique: false };

const plan = (filter: Record<string, unknown>, multikey: boolean) => planQuery(validateFilter(filter), [], [{ definition: onAB, multikey }]);

test('null on an index where some document has an array on the path narrows the read but leaves the match to the documents', () => {
  // {a: [1, 2]} is keyed as null on a.b (no match may be missed) but does not match {"a.b": null}.
  assert.is(plan({ 'a.b': null }, true)?.exact, false);
  assert.is(plan({ 'a.b': { $in: [null, 1] } }, true)?.exact, false);
});

test('null on an index no document has an array for decides the match from the keys alone', () => {
  assert.is(plan({ 'a.b': null }, false)?.exact, true);
  assert.is(plan({ 'a.b': { $in: [null, 1] } }, false)?.exact, true);
});

test('values other than null decide the match on an index with arrays', () => {
  assert.is(plan({ 'a.b': { $in: ['x', 1] } }, true)?.exact, true);
});

test('a $in that repeats one value is one range', () => {
  assert.is(plan({ 'a.b': { $in: Array.from({ length: 1000 }, () => 'x') } }, false)?.ranges.length, 1);
});

test('a $in of more distinct values than a plan holds ranges for is left to a scan of the collection', () => {
  assert.is(plan({ 'a.b': { $in: Array.from({ length: 2000 }, (_, i) => `x${i}`) } }, false), undefined);
});

const onS: IndexDefinition = { name: 'on_s', keys: [['s', 1]], unique: false };
const planOnS = (filter: Record<string, unknown>, sort: Array<[string, 1 | -1]> = []) => planQuery(validateFilter(filter), sort, [{ definition: onS, multikey: false }]);

test('a cursor position holding an unpaired surrogate has no index key: the read starts at its range and tests positions', () => {
  const sort: Array<[string, 1]> = [['s', 1]];
  const plan = planOnS({}, sort)!;
  assert.is(plan.order, 'forward');
  assert.ok(positionKey(plan, sort, { values: ['\uffff'], id: 'x' }));
  assert.is(positionKey(plan, sort, { values: ['\ud800'], id: 'x' }), undefined);
});

test('a cursor position holding the empty-array sort key has no index key: the encoding would place it among objects', () => {
  const sort: Array<[string, 1]> = [['s', 1]];
  assert.is(positionKey(planOnS({}, sort)!, sort, { values: [EMPTY_ARRAY_SORT_KEY], id: 'x' }), undefined);
});

/** The one key range of the keys that start with the encodings of `values`, ascending. */
const startingWith = (...values: JsonValue[]) => {
  const from = concat(values.map((value) => encodePart(value, 1)));
  return [{ from, to: prefixEnd(from) }];
};

const byRating: IndexDefinition = { name: 'by_rating', keys: [['ratings.score', 1], ['ratings.by', 1]], unique: false };
const planOnRating = (multikey: boolean) => planQuery(validateFilter({ 'ratings.score': 2, 'ratings.by': 'anon' }), [], [{ definition: byRating, multikey }]);

test('on a multikey index, a path whose first segment an earlier bounded path shares is not bounded: another element may meet it', () => {
  const plan = planOnRating(true);
  assert.equal(plan?.ranges, startingWith(2));
  assert.is(plan?.exact, false);
});

test('on an index without arrays, paths that share their first segment are all bounded', () => {
  const plan = planOnRating(false);
  assert.equal(plan?.ranges, startingWith(2, 'anon'));
  assert.is(plan?.exact, true);
});

test('on a multikey index, paths whose first segments differ are all bounded', () => {
  const definition: IndexDefinition = { name: 'apart', keys: [['a.x', 1], ['b.y', 1]], unique: false };
  const plan = planQuery(validateFilter({ 'a.x': 2, 'b.y': 'anon' }), [], [{ definition, multikey: true }]);
  assert.equal(plan?.ranges, startingWith(2, 'anon'));
  assert.is(plan?.exact, true);
});

test.run();

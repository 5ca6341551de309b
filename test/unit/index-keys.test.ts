import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import { validateIndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import { indexKeysOf, MAX_KEYS_PER_DOCUMENT } from '../../shared/domain/indexes/index-keys.js';
import { compareBytes, concat, encodePart, encodeValue, prefixEnd, WHOLE_ARRAY_MARK } from '../../shared/domain/indexes/key-encoding.js';
import { compareValues, type SortDirection } from '../../shared/domain/query/index.js';

/** A key made with an array as a whole. */
const whole = (key: Uint8Array): Uint8Array => concat([key, new Uint8Array([WHOLE_ARRAY_MARK])]);

/** Values of every type, with the corners of each: the encoding must order them exactly as MongoDB does. */
const VALUES: JsonValue[] = [
  null,
  -1e308,
  -1,
  -0.5,
  0,
  Number.MIN_VALUE,
  0.5,
  1,
  2,
  10,
  1e308,
  '',
  '\u0000',
  '\u0000a',
  'A',
  'a',
  'a\u0000',
  'aa',
  'ab',
  'b',
  'é',
  '\uffff',
  '😀',
  {},
  { a: null },
  { a: 1 },
  { a: 1, b: 1 },
  { a: 2 },
  { a: 'x' },
  { b: 1 },
  { a: {} },
  { a: [] },
  { a: true },
  [],
  [null],
  [1],
  [1, 2],
  [2],
  ['a'],
  [[]],
  [{}],
  false,
  true,
];

test('encoded values sort byte-wise exactly as MongoDB orders the values', () => {
  const byValue = [...VALUES].sort(compareValues).map((v) => JSON.stringify(v));
  const byBytes = [...VALUES].sort((a, b) => compareBytes(encodeValue(a), encodeValue(b))).map((v) => JSON.stringify(v));
  assert.equal(byBytes, byValue);
});

test('values MongoDB holds equal encode identically (0 and -0), others differently', () => {
  assert.equal(encodeValue(0), encodeValue(-0));
  for (let i = 0; i < VALUES.length; i++) {
    for (let j = i + 1; j < VALUES.length; j++) {
      const equal = compareValues(VALUES[i]!, VALUES[j]!) === 0;
      assert.is(compareBytes(encodeValue(VALUES[i]!), encodeValue(VALUES[j]!)) === 0, equal, `${JSON.stringify(VALUES[i])} vs ${JSON.stringify(VALUES[j])}`);
    }
  }
});

test('a descending part reverses the order', () => {
  const byValue = [...VALUES].sort((a, b) => -compareValues(a, b)).map((v) => JSON.stringify(v));
  const byBytes = [...VALUES].sort((a, b) => compareBytes(encodePart(a, -1), encodePart(b, -1))).map((v) => JSON.stringify(v));
  assert.equal(byBytes, byValue);
});

test('compound keys order by the first part, then the next', () => {
  const index = validateIndexDefinition('ix', { keys: { city: 1, age: -1 } });
  const key = (city: string, age: number) => indexKeysOf({ city, age }, index).keys[0]!;
  const ordered = [key('Oslo', 40), key('Oslo', 30), key('Oslo', 2), key('Paris', 50), key('Paris', 1)];
  assert.equal([...ordered].sort(compareBytes), ordered);
});

test('a document has one key per array element, plus the array itself marked as whole, and is multikey', () => {
  const index = validateIndexDefinition('tags', { keys: { tags: 1 } });
  const { keys, multikey } = indexKeysOf({ tags: ['b', 'a', 'b'] }, index);
  assert.is(multikey, true);
  assert.equal(keys, [encodeValue('a'), encodeValue('b'), whole(encodeValue(['b', 'a', 'b']))].sort(compareBytes));
});

test('an inner array is a key of its own, apart from an outer array equal to it', () => {
  const index = validateIndexDefinition('e', { keys: { e: 1 } });
  const outer = indexKeysOf({ e: ['x', 'y'] }, index).keys;
  const inner = indexKeysOf({ e: [['x', 'y']] }, index).keys;
  assert.equal(inner, [encodeValue(['x', 'y']), whole(encodeValue([['x', 'y']]))]);
  assert.equal(
    outer.filter((key) => inner.some((other) => compareBytes(key, other) === 0)),
    [],
  );
});

test('an empty array has one key, the array marked as whole; an empty inner array is an element’s key', () => {
  const index = validateIndexDefinition('e', { keys: { e: 1 } });
  assert.equal(indexKeysOf({ e: [] }, index).keys, [whole(encodeValue([]))]);
  assert.equal(indexKeysOf({ e: [[]] }, index).keys, [encodeValue([]), whole(encodeValue([[]]))]);
});

test('a key marked whole sorts right after the same key unmarked, before any greater value', () => {
  const marked = whole(encodeValue(['x']));
  assert.is(compareBytes(encodeValue(['x']), marked), -1);
  assert.is(compareBytes(marked, encodeValue(['x', 'a'])), -1);
  assert.is(compareBytes(marked, prefixEnd(encodeValue(['x']))!), -1);
});

test('a missing field, or a path through a scalar, is indexed as null', () => {
  const index = validateIndexDefinition('ab', { keys: { 'a.b': 1 } });
  assert.equal(indexKeysOf({}, index), { keys: [encodeValue(null)], multikey: false });
  assert.equal(indexKeysOf({ a: 5 }, index), { keys: [encodeValue(null)], multikey: false });
});

test('a path through an array of objects yields each object’s value', () => {
  const index = validateIndexDefinition('ab', { keys: { 'a.b': 1 } });
  const { keys, multikey } = indexKeysOf({ a: [{ b: 2 }, { c: 1 }, { b: 1 }] }, index);
  assert.is(multikey, true);
  assert.equal(keys, [encodeValue(null), encodeValue(1), encodeValue(2)].sort(compareBytes));
});

test('arrays on two paths of one index are refused, naming both', () => {
  const index = validateIndexDefinition('both', { keys: { a: 1, b: 1 } });
  try {
    indexKeysOf({ a: [1], b: [2] }, index);
    assert.unreachable('parallel arrays were indexed');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.match((error as Error).message, /parallel arrays \[a\] \[b\]/);
    assert.equal((error as InvalidInputError).violations, [{ path: 'data.b', message: "an array, as is data.a; index 'both' cannot hold both" }]);
  }
});

/** The compound key of `values`, each part in its direction. */
const compound = (values: readonly JsonValue[], directions: readonly SortDirection[] = values.map(() => 1)): Uint8Array =>
  concat(values.map((value, i) => encodePart(value, directions[i]!)));

const byRating = validateIndexDefinition('by_rating', { keys: { 'ratings.score': 1, 'ratings.by': 1 } });

test('two fields of one array of objects have one key per element, pairing the fields of that element', () => {
  const { keys, multikey } = indexKeysOf({ ratings: [{ score: 2, by: 'mn' }, { score: 9, by: 'anon' }] }, byRating);
  assert.is(multikey, true);
  assert.equal(keys, [compound([2, 'mn']), compound([9, 'anon'])].sort(compareBytes));
});

test('keys of one array of objects share no key with a document whose elements hold the same values apart', () => {
  const apart = indexKeysOf({ ratings: [{ score: 2, by: 'mn' }, { score: 9, by: 'anon' }] }, byRating).keys;
  const together = indexKeysOf({ ratings: [{ score: 2, by: 'anon' }] }, byRating).keys;
  assert.equal(
    together.filter((key) => apart.some((other) => compareBytes(key, other) === 0)),
    [],
  );
});

test('what an element lacks, or an element that is not an object, is null in that element’s key', () => {
  const { keys } = indexKeysOf({ ratings: [{ score: 2 }, 'five', { by: 'x', other: 1 }] }, byRating);
  assert.equal(keys, [compound([2, null]), compound([null, null]), compound([null, 'x'])].sort(compareBytes));
});

test('an empty array of objects keys its fields as null once', () => {
  assert.equal(indexKeysOf({ ratings: [] }, byRating), { keys: [compound([null, null])], multikey: true });
});

test('fields deeper inside each element, and a path outside the array, in any direction and order', () => {
  const index = validateIndexDefinition('mixed', { keys: { 'o.r.at.x': -1, city: 1, 'o.r.by': 1 } });
  const { keys } = indexKeysOf({ city: 'Oslo', o: { r: [{ at: { x: 1 }, by: 'a' }, { at: 5, by: 'b' }] } }, index);
  assert.equal(keys, [compound([1, 'Oslo', 'a'], [-1, 1, 1]), compound([null, 'Oslo', 'b'], [-1, 1, 1])].sort(compareBytes));
});

test('an array of objects with more elements than MAX_KEYS_PER_DOCUMENT is refused', () => {
  const ratings = Array.from({ length: MAX_KEYS_PER_DOCUMENT + 1 }, (_, i) => ({ score: i, by: 'x' }));
  assert.throws(() => indexKeysOf({ ratings }, byRating), (error: unknown) => error instanceof InvalidInputError && /more than 10000 keys/.test(error.message));
});

const sharedElements = [{ x: 1 }];
for (const [what, keys, data] of [
  ['two arrays of objects', { 'a.x': 1, 'b.x': 1 }, { a: [{ x: 1 }], b: [{ x: 2 }] }],
  ['one array reached by two paths', { 'a.x': 1, 'b.x': 1 }, { a: sharedElements, b: sharedElements }],
  ['an array inside an element', { 'r.score': 1, 'r.by': 1 }, { r: [{ score: [1, 2], by: 'x' }] }],
  ['an array deeper inside an element', { 'r.at.x': 1, 'r.by': 1 }, { r: [{ by: 'x' }, { at: { x: [] } }] }],
  ['a position past the array', { 'r.0': 1, 'r.by': 1 }, { r: [{ by: 'x' }] }],
  ['a position in a field past the array', { 'r.score': 1, 'r.by.1': 1 }, { r: [{ by: { 1: 'x' } }] }],
] as const) {
  test(`arrays on two paths of one index are refused as parallel arrays: ${what}`, () => {
    try {
      indexKeysOf(data as JsonObject, validateIndexDefinition('both', { keys }));
      assert.unreachable('parallel arrays were indexed');
    } catch (error) {
      assert.instance(error, InvalidInputError);
      const [first, second] = Object.keys(keys);
      assert.is((error as Error).message, `cannot index parallel arrays [${first}] [${second}] in index 'both'`);
      assert.equal((error as InvalidInputError).violations, [{ path: `data.${second}`, message: `an array, as is data.${first}; index 'both' cannot hold both` }]);
    }
  });
}

for (const [body, mentions] of [
  [{ keys: {} }, 'keys'],
  [{ keys: { a: 2 } }, 'keys.a'],
  [{ keys: { $a: 1 } }, 'keys.$a'],
  [{ keys: { 'a..b': 1 } }, 'keys.a..b'],
  [{ keys: { a: 1, 'a.b': 1 } }, 'keys.a.b'],
  [{ keys: { 0: 1 } }, 'keys.0'],
  [{ keys: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 1])) }, 'keys'],
  [{ keys: { a: 1 }, unique: 'yes' }, 'unique'],
  [{ keys: { a: 1 }, sparse: true }, 'sparse'],
] as const) {
  test(`an index definition ${JSON.stringify(body).slice(0, 60)} is refused naming ${mentions}`, () => {
    try {
      validateIndexDefinition('ix', body);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, InvalidInputError);
      assert.equal((error as InvalidInputError).violations[0]?.path, mentions);
    }
  });
}

test('an index name must start with a letter and be at most 64 characters', () => {
  for (const name of ['1ix', '-ix', 'a'.repeat(65), 'a b']) {
    assert.throws(() => validateIndexDefinition(name, { keys: { a: 1 } }), (error: unknown) => error instanceof InvalidInputError);
  }
  assert.equal(validateIndexDefinition('by_city-2', { keys: { city: 1 } }).name, 'by_city-2');
});

test.run();

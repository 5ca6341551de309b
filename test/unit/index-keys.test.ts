import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../shared/domain/document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import { validateIndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import { indexKeysOf } from '../../shared/domain/indexes/index-keys.js';
import { compareBytes, concat, encodePart, encodeValue, prefixEnd, WHOLE_ARRAY_MARK } from '../../shared/domain/indexes/key-encoding.js';
import { compareValues } from '../../shared/domain/query/index.js';

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
  }
});

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

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readsBackTheSame } from '../../shared/infrastructure/sqlite/json-round-trip.js';

/** What the check claims, checked against the round trip itself (dequal cannot tell -0 from 0). */
const roundTripsExactly = (value: unknown): boolean => {
  const back: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  const same = (a: unknown, b: unknown): boolean =>
    typeof a === 'object' && a !== null && typeof b === 'object' && b !== null
      ? Object.getPrototypeOf(a) === Object.getPrototypeOf(b) &&
        Object.keys(a).join() === Object.keys(b).join() &&
        Object.keys(a).every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
      : Object.is(a, b);
  return same(value, back);
};

test('parsed JSON reads back the same', () => {
  const value = JSON.parse('{"name":"Ada","age":36,"tags":["a",null,true,1.5e300],"nested":{"deep":[{"x":-1}]},"2":"integer key"}');
  assert.ok(readsBackTheSame(value));
  assert.ok(roundTripsExactly(value));
});

test('-0 reads back as 0, anywhere in the value', () => {
  for (const value of [-0, { a: -0 }, { a: [1, -0] }, { a: { b: -0 } }]) {
    assert.not.ok(readsBackTheSame(value));
    assert.not.ok(roundTripsExactly(value));
  }
});

test('values JSON cannot hold do not read back the same', () => {
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  for (const value of [NaN, Infinity, undefined, () => 1, Symbol('s'), 1n, sparse, { a: undefined }, { a: new Date(0) }, { a: new Map() }, Object.create(null)]) {
    assert.not.ok(readsBackTheSame(value), typeof value);
  }
});

test.run();

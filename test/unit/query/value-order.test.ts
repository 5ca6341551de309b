import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../shared/domain/document.js';
import { compareValues } from '../../../shared/domain/query/index.js';

/** BSON order over JSON values. */

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

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isoTimestamp, isoTimestampAt } from '../../shared/domain/timestamps.js';

test('a time is formatted as toISOString formats it', () => {
  const at = Date.UTC(2026, 10, 30, 17, 45, 1, 234);
  assert.is(isoTimestampAt(at), '2026-11-30T17:45:01.234Z');
  assert.is(isoTimestamp(new Date(at)), '2026-11-30T17:45:01.234Z');
});

test('times that alternate between two milliseconds each get their own string', () => {
  const [a, b] = [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 0, 1)];
  const seen = [a, b, a, b, b, a].map(isoTimestampAt);
  assert.equal(seen, [a, b, a, b, b, a].map((ms) => new Date(ms).toISOString()));
});

test('a third millisecond after two alternating ones is formatted anew, and the older two still are right', () => {
  const times = [5, 6, 5, 7, 6, 5, 7, 7, 8, 5].map((offset) => Date.UTC(2026, 5, 1) + offset);
  assert.equal(times.map(isoTimestampAt), times.map((ms) => new Date(ms).toISOString()));
});

test('an invalid time throws, as toISOString does', () => {
  assert.throws(() => isoTimestampAt(Number.NaN), RangeError);
  assert.throws(() => isoTimestampAt(8.64e15 + 1), RangeError);
});

test.run();

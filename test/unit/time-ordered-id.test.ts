import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { timeOrderedId } from '../../shared/infrastructure/ids/time-ordered-id.js';
import { DOCUMENT_ID_PATTERN } from '../../shared/domain/values.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a generated id is a UUID version 7 that the id rule accepts', () => {
  const id = timeOrderedId();
  assert.match(id, UUID_V7);
  assert.match(id, DOCUMENT_ID_PATTERN);
});

test('a generated id starts with the time it was made, in milliseconds', () => {
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  assert.is(timeOrderedId(at).replace('-', '').slice(0, 12), at.toString(16).padStart(12, '0'));
});

test('ids made in later milliseconds sort after earlier ones', () => {
  const ids = [0, 1, 2, 1000, 2 ** 40].map((offset) => timeOrderedId(1_700_000_000_000 + offset));
  assert.equal([...ids].sort(), ids);
});

test('ids made in the same millisecond differ', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
  assert.is(ids.size, 10_000);
});

test('ids made in one millisecond sort in the order they were made, 2,048 of them at least', () => {
  const ids = Array.from({ length: 2048 }, () => timeOrderedId(1_800_000_000_000));
  assert.equal([...ids].sort(), ids);
});

test.run();

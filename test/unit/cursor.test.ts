import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_CURSOR_LENGTH, decodeCursor, encodeCursor, fnv1a32, queryFingerprint } from '../../shared/domain/cursor.js';
import { EMPTY_ARRAY_SORT_KEY, validateFilter, validateSort, type SortPosition } from '../../shared/domain/query/index.js';
import { invalid } from '../support/assert-invalid.js';

const filter = validateFilter({ age: { $gte: 18 }, tags: 'x' });
const sort = validateSort({ age: -1, name: 1 });
const position: SortPosition = { values: [36, 'Ada'], id: 'u1' };


/** base64url of a UTF-8 string, to forge cursors. */
function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

test('a cursor decodes back to the position it was made from', () => {
  const cursor = encodeCursor(position, 'c', filter, sort);
  assert.equal(decodeCursor(cursor, 'c', filter, sort), position);
});

test('a cursor is URL-safe base64 without padding', () => {
  const cursor = encodeCursor({ values: ['???>>>~~~', 1.5], id: 'a' }, 'c', filter, sort);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
});

test('a cursor carries null, objects, arrays and the empty-array marker', () => {
  const values = [null, { a: [1, { b: 'x' }] }, EMPTY_ARRAY_SORT_KEY, false];
  const fourFields = validateSort({ a: 1, b: 1, c: 1, d: -1 });
  const cursor = encodeCursor({ values, id: 'doc.1' }, 'c', filter, fourFields);
  assert.equal(decodeCursor(cursor, 'c', filter, fourFields), { values, id: 'doc.1' });
});

test('a cursor is the base64url of its UTF-8 JSON, ASCII or not', () => {
  for (const values of [[36, 'Ada'], ['Zoë 😀', 'Ærø']]) {
    const cursor = encodeCursor({ values, id: 'u1' }, 'c', filter, sort);
    assert.equal(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')), { v: values, i: 'u1', f: queryFingerprint('c', filter, sort) });
  }
});

test('a cursor carries non-ASCII strings', () => {
  const cursor = encodeCursor({ values: ['Zoë 😀', 'Ærø'], id: 'u2' }, 'c', filter, sort);
  assert.equal(decodeCursor(cursor, 'c', filter, sort).values, ['Zoë 😀', 'Ærø']);
});

test('a cursor works without sort fields', () => {
  const cursor = encodeCursor({ values: [], id: 'u9' }, 'c', filter, []);
  assert.equal(decodeCursor(cursor, 'c', filter, []), { values: [], id: 'u9' });
});

test('the same query always gives the same cursor', () => {
  assert.is(encodeCursor(position, 'c', filter, sort), encodeCursor(position, 'c', validateFilter({ age: { $gte: 18 }, tags: 'x' }), sort));
});

test('a cursor from another filter is rejected as belonging to a different query', () => {
  const cursor = encodeCursor(position, 'c', filter, sort);
  const error = invalid(() => decodeCursor(cursor, 'c', validateFilter({ age: { $gte: 21 } }), sort));
  assert.equal(error.violations, [{ path: 'cursor', message: 'cursor belongs to a different query' }]);
});

test('a cursor from another sort is rejected as belonging to a different query', () => {
  const cursor = encodeCursor(position, 'c', filter, sort);
  const error = invalid(() => decodeCursor(cursor, 'c', filter, validateSort({ age: 1, name: 1 })));
  assert.is(error.violations[0]?.message, 'cursor belongs to a different query');
});

test('a cursor is rejected when the filter lists object keys in another order', () => {
  const a = validateFilter({ addr: { city: 'Oslo', zip: '1' } });
  const b = validateFilter({ addr: { zip: '1', city: 'Oslo' } });
  const cursor = encodeCursor({ values: [], id: 'x' }, 'c', a, []);
  invalid(() => decodeCursor(cursor, 'c', b, []));
});

test('a cursor that is not base64url is rejected on path cursor', () => {
  for (const cursor of ['not a cursor!', 'abc=', '%%%']) {
    assert.is(invalid(() => decodeCursor(cursor, 'c', filter, sort)).violations[0]?.path, 'cursor');
  }
});

test('an empty cursor is rejected', () => {
  assert.is(invalid(() => decodeCursor('', 'c', filter, sort)).violations[0]?.path, 'cursor');
});

test('a cursor that is not JSON is rejected', () => {
  assert.is(invalid(() => decodeCursor(base64url('{"v":'), 'c', filter, sort)).violations[0]?.path, 'cursor');
});

test('a cursor that is not valid UTF-8 is rejected', () => {
  const cursor = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
  assert.is(invalid(() => decodeCursor(cursor, 'c', filter, sort)).violations[0]?.path, 'cursor');
});

test('a cursor with the wrong shape is rejected', () => {
  const f = queryFingerprint('c', filter, sort);
  const shapes = [
    [1, 2, 3],
    { v: [1, 'a'], i: 'u1' },
    { v: 'x', i: 'u1', f },
    { v: [1, 'a'], i: 7, f },
    { v: [1, 'a'], i: 'u1', f: 5 },
    { v: [1, 'a'], i: 'u1', f, extra: true },
    null,
  ];
  for (const shape of shapes) {
    const error = invalid(() => decodeCursor(base64url(JSON.stringify(shape)), 'c', filter, sort));
    assert.is(error.violations[0]?.path, 'cursor', JSON.stringify(shape));
  }
});

test('a cursor with the wrong number of sort values is rejected', () => {
  const f = queryFingerprint('c', filter, sort);
  invalid(() => decodeCursor(base64url(JSON.stringify({ v: [1], i: 'u1', f })), 'c', filter, sort));
});

test('a cursor whose id breaks the id rule is rejected', () => {
  const f = queryFingerprint('c', filter, sort);
  invalid(() => decodeCursor(base64url(JSON.stringify({ v: [1, 'a'], i: '../etc', f })), 'c', filter, sort));
});

test('a cursor with absurdly deep values is rejected', () => {
  const f = queryFingerprint('c', filter, sort);
  const deep = '['.repeat(200) + ']'.repeat(200);
  const forged = base64url(`{"v":[${deep},1],"i":"u1","f":"${f}"}`);
  assert.is(invalid(() => decodeCursor(forged, 'c', filter, sort)).violations[0]?.path, 'cursor');
});

test('a cursor longer than the cap is rejected before decoding', () => {
  const error = invalid(() => decodeCursor('A'.repeat(MAX_CURSOR_LENGTH + 1), 'c', filter, sort));
  assert.is(error.violations[0]?.path, 'cursor');
});

test('encodeCursor refuses a sort key too large to fit in a cursor', () => {
  const huge: SortPosition = { values: ['x'.repeat(MAX_CURSOR_LENGTH), 'a'], id: 'u1' };
  const error = invalid(() => encodeCursor(huge, 'c', filter, sort));
  assert.is(error.violations[0]?.path, 'sort');
});

test('fnv1a32 gives the reference FNV-1a values', () => {
  assert.is(fnv1a32(''), '811c9dc5');
  assert.is(fnv1a32('a'), 'e40c292c');
  assert.is(fnv1a32('foobar'), 'bf9cf968');
});

test('fnv1a32 hashes the UTF-8 bytes of non-ASCII text', () => {
  assert.is(fnv1a32('é'), '1e9de8c1');
  assert.is(fnv1a32('Zoë 😀'), '05aa6159');
});

test('a cursor issued for one collection is refused for another with the same filter and sort', () => {
  const cursor = encodeCursor({ values: [30, 'Ada'], id: 'u1' }, 'people', filter, sort);
  const error = invalid(() => decodeCursor(cursor, 'pets', filter, sort));
  assert.match(error.message, /different query/);
});

test('queryFingerprint is eight hex digits and differs between queries', () => {
  const a = queryFingerprint('c', filter, sort);
  assert.match(a, /^[0-9a-f]{8}$/);
  assert.is.not(a, queryFingerprint('c', filter, []));
  assert.is.not(a, queryFingerprint('c', validateFilter({}), sort));
  assert.is.not(a, queryFingerprint('d', filter, sort));
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import { JsonPatchTestFailedError, PayloadTooLargeError } from '../../shared/domain/errors.js';
import { applyJsonPatch, type JsonPatch, MAX_PATCH_OPERATIONS, validateJsonPatch } from '../../shared/domain/json-patch.js';
import { invalid } from '../support/assert-invalid.js';

/** RFC 6902 JSON Patch over data: validation, each operation, errors, atomicity. Appendix A is in its own file. */

function patch(data: JsonObject, raw: unknown): JsonObject {
  return applyJsonPatch(data, validateJsonPatch(raw));
}

/** The one violation validateJsonPatch reports for `raw`. */
function rejection(raw: unknown): { path: string; message: string } {
  const error = invalid(() => validateJsonPatch(raw));
  assert.is(error.violations.length, 1);
  return error.violations[0]!;
}

/** The one violation applying `raw` to `data` reports. */
function failure(data: JsonObject, raw: unknown): { path: string; message: string } {
  const valid = validateJsonPatch(raw);
  const error = invalid(() => applyJsonPatch(data, valid));
  assert.is(error.violations.length, 1);
  return error.violations[0]!;
}

function testFailure(data: JsonObject, raw: unknown): JsonPatchTestFailedError {
  const valid = validateJsonPatch(raw);
  try {
    applyJsonPatch(data, valid);
  } catch (error) {
    if (error instanceof JsonPatchTestFailedError) return error;
    throw error;
  }
  assert.unreachable('expected a JsonPatchTestFailedError');
  throw new Error('unreachable');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// --- validateJsonPatch -------------------------------------------------------------------------------------------

test('validateJsonPatch returns the operations with only the members each defines', () => {
  const raw = [
    { op: 'add', path: '/a', value: 1, note: 'ignored' },
    { op: 'remove', path: '/b', value: 'ignored' },
    { op: 'move', from: '/c', path: '/d' },
  ];
  assert.equal(validateJsonPatch(raw), [
    { op: 'add', path: '/a', value: 1 },
    { op: 'remove', path: '/b' },
    { op: 'move', from: '/c', path: '/d' },
  ]);
});

test('validateJsonPatch accepts an empty patch, which changes nothing', () => {
  assert.equal(patch({ a: 1 }, []), { a: 1 });
});

test('validateJsonPatch rejects a patch that is not an array', () => {
  for (const raw of [{ op: 'add', path: '/a', value: 1 }, 'x', null]) assert.is(rejection(raw).path, 'patch');
});

test(`validateJsonPatch accepts ${MAX_PATCH_OPERATIONS} operations and refuses more`, () => {
  const ops = (n: number): unknown[] => Array.from({ length: n }, () => ({ op: 'test', path: '', value: {} }));
  validateJsonPatch(ops(MAX_PATCH_OPERATIONS));
  assert.match(rejection(ops(MAX_PATCH_OPERATIONS + 1)).message, `at most ${MAX_PATCH_OPERATIONS} operations`);
});

test('validateJsonPatch rejects an operation that is not an object, naming its index', () => {
  assert.is(rejection([{ op: 'remove', path: '/a' }, 'remove /a']).path, 'patch[1]');
});

test('validateJsonPatch rejects an unknown or missing op', () => {
  assert.is(rejection([{ op: 'merge', path: '/a' }]).path, 'patch[0].op');
  assert.is(rejection([{ path: '/a' }]).path, 'patch[0].op');
});

test('validateJsonPatch requires a path that is a JSON Pointer', () => {
  assert.is(rejection([{ op: 'remove' }]).path, 'patch[0].path');
  assert.is(rejection([{ op: 'remove', path: 3 }]).path, 'patch[0].path');
  assert.match(rejection([{ op: 'remove', path: 'a/b' }]).message, "must be empty or start with '/'");
});

test('validateJsonPatch rejects a "~" that is not followed by 0 or 1', () => {
  for (const path of ['/a~2', '/a~', '/~x/b']) {
    const { path: at, message } = rejection([{ op: 'remove', path }]);
    assert.is(at, 'patch[0].path');
    assert.match(message, "'~' must be followed by 0 or 1");
  }
});

test('validateJsonPatch requires a value for add, replace and test (null is a value)', () => {
  for (const op of ['add', 'replace', 'test']) {
    const { path, message } = rejection([{ op, path: '/a' }]);
    assert.is(path, 'patch[0].value');
    assert.match(message, `${op} requires a value`);
    validateJsonPatch([{ op, path: '/a', value: null }]);
  }
});

test('validateJsonPatch requires a from pointer for move and copy', () => {
  for (const op of ['move', 'copy']) {
    assert.is(rejection([{ op, path: '/a' }]).path, 'patch[0].from');
    assert.is(rejection([{ op, path: '/a', from: 'b' }]).path, 'patch[0].from');
  }
});

test('validateJsonPatch refuses to move a value into its own child', () => {
  const { path, message } = rejection([{ op: 'move', from: '/a', path: '/a/b' }]);
  assert.is(path, 'patch[0].from');
  assert.match(message, 'cannot be moved into its own child');
});

test('validateJsonPatch refuses a pointer that can never name a value in data, naming the token', () => {
  for (const pointer of ['/a.b', '/$set', '/x/__proto__']) {
    const { path, message } = rejection([{ op: 'add', path: pointer, value: 1 }]);
    assert.is(path, 'patch[0].path');
    assert.match(message, 'can never name a value in data');
  }
  assert.is(rejection([{ op: 'copy', from: '/a/$b', path: '/c' }]).path, 'patch[0].from');
});

test('validateJsonPatch applies the data rules to values, naming the offending key inside the value', () => {
  assert.is(rejection([{ op: 'add', path: '/a', value: { ok: [{ $bad: 1 }] } }]).path, 'patch[0].value.ok[0].$bad');
});

// --- add ------------------------------------------------------------------------------------------------------

test('add creates a member of an object, added at the end', () => {
  assert.is(JSON.stringify(patch({ b: 1 }, [{ op: 'add', path: '/a', value: 2 }])), '{"b":1,"a":2}');
});

test('add replaces an existing member, in place', () => {
  assert.is(JSON.stringify(patch({ a: 1, b: 2 }, [{ op: 'add', path: '/a', value: 3 }])), '{"a":3,"b":2}');
});

test('add inserts into an array at an index, shifting the elements after it', () => {
  assert.equal(patch({ l: [1, 2] }, [{ op: 'add', path: '/l/0', value: 0 }]), { l: [0, 1, 2] });
});

test('add at the length of an array, or at "-", appends', () => {
  assert.equal(patch({ l: [1] }, [{ op: 'add', path: '/l/1', value: 2 }, { op: 'add', path: '/l/-', value: 3 }]), { l: [1, 2, 3] });
});

test('add past the end of an array fails, naming the operation', () => {
  const { path, message } = failure({ l: [1] }, [{ op: 'test', path: '/l/0', value: 1 }, { op: 'add', path: '/l/2', value: 9 }]);
  assert.is(path, 'patch[1].path');
  assert.match(message, "'2' is not a position in the array at '/l'");
});

test('add at an index with leading zeros, or a name, fails on an array', () => {
  assert.match(failure({ l: [1, 2] }, [{ op: 'add', path: '/l/01', value: 9 }]).message, "'01' is not a position");
  assert.match(failure({ l: [1, 2] }, [{ op: 'add', path: '/l/x', value: 9 }]).message, "'x' is not a position");
});

test('add needs an existing parent: no intermediate objects are created', () => {
  const { path, message } = failure({}, [{ op: 'add', path: '/a/b', value: 1 }]);
  assert.is(path, 'patch[0].path');
  assert.match(message, "there is no value at '/a' to add to");
});

test('add into a scalar fails', () => {
  assert.match(failure({ a: 'x' }, [{ op: 'add', path: '/a/b', value: 1 }]).message, "the value at '/a' is neither an object nor an array");
});

test('add with "-" on an object adds the member named "-"', () => {
  assert.equal(patch({}, [{ op: 'add', path: '/-', value: 1 }]), { '-': 1 });
});

test('add at the root replaces the whole data, which must stay an object', () => {
  assert.equal(patch({ a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }]), { b: 2 });
  const { path, message } = failure({ a: 1 }, [{ op: 'add', path: '', value: [1] }]);
  assert.is(path, 'patch[0].value');
  assert.match(message, 'can only be replaced by a JSON object');
});

// --- remove ------------------------------------------------------------------------------------------------------

test('remove deletes a member, or an array element closing the gap', () => {
  assert.equal(patch({ a: 1, l: [1, 2, 3] }, [{ op: 'remove', path: '/a' }, { op: 'remove', path: '/l/0' }]), { l: [2, 3] });
});

test('remove of a missing value fails, naming the operation', () => {
  for (const path of ['/x', '/l/5', '/l/-', '/a/b']) {
    const violation = failure({ a: 1, l: [1] }, [{ op: 'remove', path }]);
    assert.is(violation.path, 'patch[0].path');
    assert.match(violation.message, 'there is no value at');
  }
});

test('remove of the whole data fails', () => {
  assert.match(failure({ a: 1 }, [{ op: 'remove', path: '' }]).message, 'the whole document cannot be removed');
});

// --- replace -----------------------------------------------------------------------------------------------------

test('replace changes an existing member or element in place', () => {
  assert.is(JSON.stringify(patch({ a: 1, b: [1, 2] }, [{ op: 'replace', path: '/a', value: 'x' }, { op: 'replace', path: '/b/1', value: 3 }])), '{"a":"x","b":[1,3]}');
});

test('replace of a missing value fails, naming the operation', () => {
  const violation = failure({ a: 1 }, [{ op: 'replace', path: '/b', value: 1 }]);
  assert.is(violation.path, 'patch[0].path');
  assert.match(violation.message, "there is no value at '/b'");
});

test('replace at the root replaces the whole data, which must stay an object', () => {
  assert.equal(patch({ a: 1 }, [{ op: 'replace', path: '', value: {} }]), {});
  assert.is(failure({ a: 1 }, [{ op: 'replace', path: '', value: 'x' }]).path, 'patch[0].value');
});

// --- move and copy -------------------------------------------------------------------------------------------

test('move removes the value from its place and adds it at the path', () => {
  assert.equal(patch({ a: { b: 1 }, c: {} }, [{ op: 'move', from: '/a/b', path: '/c/d' }]), { a: {}, c: { d: 1 } });
});

test('move to the same place changes nothing', () => {
  assert.equal(patch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }]), { a: 1 });
});

test('move of a missing value fails, naming its from', () => {
  for (const from of ['/x', '/x/y']) {
    const violation = failure({ a: 1 }, [{ op: 'move', from, path: '/b' }]);
    assert.is(violation.path, 'patch[0].from');
    assert.match(violation.message, 'there is no value at');
  }
  assert.is(failure({ a: 1 }, [{ op: 'move', from: '/x', path: '/x' }]).path, 'patch[0].from');
});

test('copy adds a deep copy: changing the copy later leaves the original alone', () => {
  const result = patch({ a: { l: [1] } }, [
    { op: 'copy', from: '/a', path: '/b' },
    { op: 'add', path: '/b/l/-', value: 2 },
  ]);
  assert.equal(result, { a: { l: [1] }, b: { l: [1, 2] } });
});

test('copy of the whole data into a member works', () => {
  assert.equal(patch({ a: 1 }, [{ op: 'copy', from: '', path: '/snapshot' }]), { a: 1, snapshot: { a: 1 } });
});

test('copy of a missing value fails, naming its from', () => {
  assert.is(failure({}, [{ op: 'copy', from: '/x', path: '/y' }]).path, 'patch[0].from');
});

/** The PayloadTooLargeError applying `raw` to `data` throws under a copy limit. */
function tooLarge(data: JsonObject, raw: unknown, maxCopiedBytes: number): PayloadTooLargeError {
  const valid = validateJsonPatch(raw);
  try {
    applyJsonPatch(data, valid, maxCopiedBytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return error;
    throw error;
  }
  assert.unreachable('expected a PayloadTooLargeError');
  throw new Error('unreachable');
}

test('copies may copy at most the byte limit in all: past it the patch fails as too large, naming the copy', () => {
  // Each copy is "é…": 100 two-byte characters in quotes, 202 bytes of UTF-8 JSON (only 102 characters).
  const data = { s: 'é'.repeat(100) };
  const copies = [0, 1, 2].map((i) => ({ op: 'copy', from: '/s', path: `/c${i}` }));
  assert.equal(Object.keys(applyJsonPatch(data, validateJsonPatch(copies.slice(0, 2)), 404)), ['s', 'c0', 'c1']);
  assert.match(tooLarge(data, copies, 605).message, /^patch\[2\]\.from: .*more than 605 bytes/);
});

test('copying the whole data again and again is stopped by the limit, not carried on while data doubles', () => {
  // Each copy of the root doubles the data: 20 of them make 2^20 copies of it, 100 MB (30 would make 100 GB).
  const copies = Array.from({ length: 20 }, (_, i) => ({ op: 'copy', from: '', path: `/c${i}` }));
  assert.match(tooLarge({ a: 'x'.repeat(100) }, copies, 1024 * 1024).message, /^patch\[13\]\.from: /);
});

// --- test ------------------------------------------------------------------------------------------------------

test('test passes on an equal value: objects equal whatever the order of their members', () => {
  assert.equal(patch({ o: { a: 1, b: [1, { c: null }] } }, [{ op: 'test', path: '/o', value: { b: [1, { c: null }], a: 1 } }]), {
    o: { a: 1, b: [1, { c: null }] },
  });
});

test('test tells values apart by type, array length and members', () => {
  const data: JsonObject = { n: 1, l: [1, 2], o: { a: 1 }, z: null };
  const unequal: Array<[string, JsonValue]> = [['/n', '1'], ['/n', true], ['/l', [1]], ['/l', [2, 1]], ['/o', { a: 1, b: 2 }], ['/o', { b: 1 }], ['/z', false], ['/o', [1]]];
  for (const [path, value] of unequal) testFailure(data, [{ op: 'test', path, value }]);
});

test('a failed test throws JsonPatchTestFailedError (412, like a version mismatch), naming the operation and path', () => {
  const error = testFailure({ a: 1 }, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }]);
  assert.is(error.code, 'version_mismatch');
  assert.is(error.index, 1);
  assert.is(error.path, '/a');
  assert.is(error.message, "patch[1]: test failed: the value at '/a' differs from the tested value");
});

test('a test of a missing value fails as a test', () => {
  assert.is(testFailure({}, [{ op: 'test', path: '/a', value: null }]).message, "patch[0]: test failed: there is no value at '/a'");
});

test('a test sees the changes of the operations before it', () => {
  patch({ a: 1 }, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 2 }]);
});

// --- What holds for every patch ------------------------------------------------------------------------------------

test('applyJsonPatch returns a new object and never changes its input', () => {
  const data = deepFreeze({ a: { b: [1] }, c: 1 });
  const result = patch(data, [{ op: 'add', path: '/a/b/-', value: 2 }, { op: 'remove', path: '/c' }]);
  assert.equal(result, { a: { b: [1, 2] } });
  assert.equal(data, { a: { b: [1] }, c: 1 });
});

test('a patch is all or nothing: a failing operation after successful ones leaves the input as it was', () => {
  const data = deepFreeze({ a: 1 });
  failure(data, [{ op: 'add', path: '/b', value: 2 }, { op: 'remove', path: '/zzz' }]);
  testFailure(data, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/b', value: 3 }]);
  assert.equal(data, { a: 1 });
});

test('the result shares no object with the patch: changing the patch later does not change it', () => {
  const value = { n: 1 };
  const result = patch({}, [{ op: 'add', path: '/a', value }]);
  value.n = 2;
  assert.equal(result, { a: { n: 1 } });
});

test('an operation that would nest data deeper than 32 fails, naming the operation', () => {
  const nested = (levels: number): JsonValue => (levels === 0 ? 1 : { x: nested(levels - 1) });
  patch({}, [{ op: 'add', path: '/a', value: nested(31) }]); // the deepest object lands at depth 32
  const { path, message } = failure({}, [{ op: 'add', path: '/a', value: nested(32) }]);
  assert.is(path, 'patch[0].value');
  assert.match(message, 'deeper than 32');
  assert.is(failure({ deep: nested(31) as JsonObject, b: {} }, [{ op: 'copy', from: '/deep', path: '/b/c' }]).path, 'patch[0].path');
});

test('the depth of a moved value is measured again once something inside it was added, replaced or removed', () => {
  const nested = (levels: number): JsonValue => (levels === 0 ? 1 : { x: nested(levels - 1) });
  const moves = [
    { op: 'move', from: '/a', path: '/b/a' },
    { op: 'move', from: '/b/a', path: '/a' },
  ];
  // a's innermost object sits at depth 31, at 32 in /b/a; an object added in it then would sit at 33 in /b/a.
  const data = { a: nested(30) as JsonObject, b: {} };
  const innermost = `/a${'/x'.repeat(30)}`;
  assert.is(failure(data, [...moves, { op: 'add', path: innermost, value: { y: 1 } }, ...moves]).path, 'patch[3].path');
  assert.is(failure(data, [...moves, { op: 'replace', path: innermost, value: { y: 1 } }, ...moves]).path, 'patch[3].path');
  // One level too deep for /b/a, until its innermost object is removed.
  const deeper = { a: nested(31) as JsonObject, b: {} };
  const there = { op: 'move', from: '/a', path: '/c' };
  const back = { op: 'move', from: '/c', path: '/a' };
  const result = patch(deeper, [there, back, { op: 'remove', path: innermost }, moves[0]]);
  assert.equal(Object.keys(result), ['b']);
});

test('applyJsonPatch validates a patch that did not go through validateJsonPatch', () => {
  const unvalidated = [{ op: 'add', path: 'no-slash', value: 1 }] as unknown as JsonPatch;
  assert.is(invalid(() => applyJsonPatch({}, unvalidated)).violations[0]?.path, 'patch[0].path');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { projectData, validateFields } from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';

/** Projection of data fields, as MongoDB's inclusion projection. */

test('validateFields treats an absent list as the whole of data', () => {
  assert.is(validateFields(undefined), undefined);
  assert.is(validateFields(null), undefined);
});

test('validateFields treats an empty list as the whole of data, as MongoDB treats an empty projection', () => {
  assert.is(validateFields([]), undefined);
});

test('validateFields returns the paths without duplicates', () => {
  assert.equal(validateFields(['a', 'b.c', 'a']), ['a', 'b.c']);
});

test('validateFields rejects a value that is not an array of strings', () => {
  assert.is(invalid(() => validateFields('a')).violations[0]?.path, 'fields');
  assert.is(invalid(() => validateFields(['a', 5])).violations[0]?.path, 'fields[1]');
});

test('validateFields rejects bad paths', () => {
  assert.is(invalid(() => validateFields(['a', '$b'])).violations[0]?.path, 'fields[1]');
  invalid(() => validateFields(['']));
  invalid(() => validateFields(['a.__proto__']));
});

test('validateFields rejects a path inside another listed path, as MongoDB does', () => {
  assert.match(invalid(() => validateFields(['a', 'a.b'])).message, 'collision');
  validateFields(['a', 'ab']);
});

test('projectData keeps only the listed top-level fields', () => {
  assert.equal(projectData({ a: 1, b: 2, c: 3 }, ['a', 'c']), { a: 1, c: 3 });
});

test('projectData keeps the document field order', () => {
  assert.equal(Object.keys(projectData({ a: 1, b: 2, c: 3 }, ['c', 'a'])), ['a', 'c']);
});

test('projectData projects into nested objects', () => {
  assert.equal(projectData({ a: { b: 1, c: 2 }, d: 3 }, ['a.b']), { a: { b: 1 } });
});

test('projectData keeps an object that lacks the projected subfield as an empty object', () => {
  assert.equal(projectData({ a: { c: 2 } }, ['a.b']), { a: {} });
});

test('projectData omits missing paths and paths through scalars', () => {
  assert.equal(projectData({ a: 5 }, ['a.b', 'x']), {});
});

test('projectData projects each element of an array of objects and drops scalars', () => {
  assert.equal(projectData({ a: [{ b: 1, c: 2 }, 7, { c: 3 }] }, ['a.b']), { a: [{ b: 1 }, {}] });
});

test('projectData recurses into nested arrays', () => {
  assert.equal(projectData({ a: [[{ b: 1, c: 2 }]] }, ['a.b']), { a: [[{ b: 1 }]] });
});

test('projectData includes a whole array or object by its own path', () => {
  assert.equal(projectData({ a: [1, { b: 2 }], c: { d: 1 } }, ['a', 'c']), { a: [1, { b: 2 }], c: { d: 1 } });
});

test('projectData treats numeric segments as field names', () => {
  assert.equal(projectData({ a: [5, 6] }, ['a.0']), { a: [] });
  assert.equal(projectData({ a: { '0': 5 } }, ['a.0']), { a: { '0': 5 } });
});

test('projectData with an empty list gives an empty object', () => {
  assert.equal(projectData({ a: 1 }, []), {});
});

test('projectData does not mutate the data', () => {
  const data = { a: { b: 1, c: 2 } };
  projectData(data, ['a.b']);
  assert.equal(data, { a: { b: 1, c: 2 } });
});

test.run();

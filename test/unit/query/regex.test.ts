import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateFilter } from '../../../shared/domain/query/index.js';
import { invalid } from '../../support/assert-invalid.js';
import { matches } from '../../support/filters.js';

/** `$regex`: MongoDB's (PCRE) patterns, translated exactly for the linear-time engine or refused. */

test('validateFilter rejects a $regex that is not a string', () => {
  assert.is(invalid(() => validateFilter({ a: { $regex: 5 } })).violations[0]?.path, 'filter.a.$regex');
});

test('validateFilter rejects a $regex pattern that does not compile', () => {
  assert.is(invalid(() => validateFilter({ a: { $regex: '(' } })).violations[0]?.path, 'filter.a.$regex');
  assert.is(invalid(() => validateFilter({ a: { $regex: '[a' } })).violations[0]?.path, 'filter.a.$regex');
});

test('validateFilter rejects a $regex longer than 512 characters', () => {
  validateFilter({ a: { $regex: 'x'.repeat(512) } });
  invalid(() => validateFilter({ a: { $regex: 'x'.repeat(513) } }));
});

test('validateFilter rejects $options other than "i" or ""', () => {
  validateFilter({ a: { $regex: 'x', $options: '' } });
  for (const options of ['m', 's', 'x', 'im', 5]) {
    const error = invalid(() => validateFilter({ a: { $regex: 'x', $options: options } }));
    assert.is(error.violations[0]?.path, 'filter.a.$options');
  }
});

test('validateFilter rejects $options without $regex', () => {
  const error = invalid(() => validateFilter({ a: { $options: 'i' } }));
  assert.is(error.violations[0]?.path, 'filter.a.$options');
});

test('validateFilter accepts $options written before $regex', () => {
  assert.ok(matches({ a: { $options: 'i', $regex: '^X' } }, { a: 'xy' }));
});

test('validateFilter rejects PCRE constructs whose JavaScript meaning differs', () => {
  for (const pattern of ['(a)\\1', '\\Qa.b\\E', '[[:alpha:]]', '\\v', '\\h', '\\R', '[]a]', '\\u0041', '\\k<n>']) {
    const error = invalid(() => validateFilter({ a: { $regex: pattern } }));
    assert.is(error.violations[0]?.path, 'filter.a.$regex', pattern);
  }
});

test('$regex matches strings', () => {
  assert.ok(matches({ name: { $regex: '^Ad' } }, { name: 'Ada' }));
  assert.not.ok(matches({ name: { $regex: '^ad' } }, { name: 'Ada' }));
});

test('$regex with $options "i" ignores case', () => {
  assert.ok(matches({ name: { $regex: '^ad', $options: 'i' } }, { name: 'Ada' }));
  assert.ok(matches({ name: { $regex: 'É', $options: 'i' } }, { name: 'café' }));
});

test('$regex never matches numbers, nulls or missing fields', () => {
  assert.not.ok(matches({ a: { $regex: '1' } }, { a: 1 }));
  assert.not.ok(matches({ a: { $regex: '' } }, { a: null }));
  assert.not.ok(matches({ a: { $regex: '' } }, {}));
});

test('$regex matches string elements of arrays', () => {
  assert.ok(matches({ tags: { $regex: '^b' } }, { tags: ['a', 'bc'] }));
  assert.not.ok(matches({ tags: { $regex: '^b' } }, { tags: ['a', 5] }));
});

test('$regex dot matches a carriage return but not a newline, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: '^a.b$' } }, { a: 'a\rb' }));
  assert.not.ok(matches({ a: { $regex: '^a.b$' } }, { a: 'a\nb' }));
});

test('$regex dollar also matches before a final newline, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: 'x$' } }, { a: 'x\n' }));
  assert.not.ok(matches({ a: { $regex: 'x$' } }, { a: 'x\ny' }));
});

test('$regex \\s is ASCII whitespace, as in PCRE', () => {
  assert.ok(matches({ a: { $regex: '^a\\sb$' } }, { a: 'a\tb' }));
  assert.not.ok(matches({ a: { $regex: '^a\\sb$' } }, { a: 'a\u00a0b' }));
  assert.ok(matches({ a: { $regex: '^a\\Sb$' } }, { a: 'a\u00a0b' }));
});

test('$regex \\A, \\z and \\Z anchor like PCRE', () => {
  assert.ok(matches({ a: { $regex: '\\Aab\\z' } }, { a: 'ab' }));
  assert.not.ok(matches({ a: { $regex: 'ab\\z' } }, { a: 'ab\n' }));
  assert.ok(matches({ a: { $regex: 'ab\\Z' } }, { a: 'ab\n' }));
});

test('$regex honours an inline (?s): dot then matches a newline, within the group that sets it', () => {
  assert.ok(matches({ a: { $regex: '(?s)^a.b$' } }, { a: 'a\nb' }));
  assert.ok(matches({ a: { $regex: '(?s:a.b)' } }, { a: 'a\nb' }));
  assert.ok(matches({ a: { $regex: '^(?:a(?s).).$' } }, { a: 'a\nx' }));
  assert.not.ok(matches({ a: { $regex: '^(?:a(?s).).$' } }, { a: 'a\n\n' }));
  assert.not.ok(matches({ a: { $regex: '(?s)(?-s:a.b)' } }, { a: 'a\nb' }));
});

test('$regex \\A, \\z and \\Z anchor at the ends of the string under an inline (?m), as in PCRE', () => {
  assert.not.ok(matches({ a: { $regex: '(?m)\\Ab' } }, { a: 'a\nb' }));
  assert.not.ok(matches({ a: { $regex: '(?m)a\\z' } }, { a: 'a\nb' }));
  assert.not.ok(matches({ a: { $regex: '(?m)a\\Z' } }, { a: 'a\nb' }));
  assert.ok(matches({ a: { $regex: '(?m)b\\Z' } }, { a: 'a\nb\n' }));
  assert.ok(matches({ a: { $regex: '(?m)^b$' } }, { a: 'a\nb\nc' }));
});

test('$regex dot matches one code point, as PCRE in UTF mode', () => {
  assert.ok(matches({ a: { $regex: '^.$' } }, { a: '😀' }));
});

test('$regex treats escaped metacharacters literally', () => {
  assert.ok(matches({ a: { $regex: '^a\\.b$' } }, { a: 'a.b' }));
  assert.not.ok(matches({ a: { $regex: '^a\\.b$' } }, { a: 'axb' }));
  assert.ok(matches({ a: { $regex: '^[.$]+$' } }, { a: '.$' }));
});

test('$regex reads any escaped non-alphanumeric character as itself, as PCRE does', () => {
  assert.ok(matches({ a: { $regex: '^\\"a\\_b\\-c\\é$' } }, { a: '"a_b-cé' }));
  assert.ok(matches({ a: { $regex: '^[\\w\\-]+$' } }, { a: 'a-b' }));
});

test.run();

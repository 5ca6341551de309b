import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Document, JsonObject } from '../../shared/domain/document.js';
import { storedDataJson, storedDocument } from '../../shared/domain/stored-document.js';
import { COLLECTION_PATTERN, DOCUMENT_ID_PATTERN } from '../../shared/domain/values.js';
import { documentJson, queryPageJson } from '../../shared/runtime/http/document-json.js';

const DATA: JsonObject = { name: 'Ünï "q" \\ \t 🎉', n: -0, big: 1e21, lone: 'a\uD800b', nested: { list: [1, null, { x: true }] } };
const JSON_TEXT = JSON.stringify(DATA);

function stored(): Document {
  return storedDocument('u1', 'users', 3, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', JSON_TEXT);
}

function plain(): Document {
  return { id: 'u1', collection: 'users', version: 3, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z', data: JSON.parse(JSON_TEXT) as JsonObject };
}

test('a stored document reads and compares as the plain document it stands for', () => {
  assert.equal(stored(), plain());
  assert.equal(stored().data, JSON.parse(JSON_TEXT));
});

test('a stored document parses its data once, when first read', () => {
  const document = stored();
  assert.is(document.data, document.data);
});

test('documentJson of a stored document is exactly JSON.stringify of the plain document', () => {
  assert.is(documentJson(stored()), JSON.stringify(plain()));
  assert.is(documentJson(stored()), JSON.stringify(stored()));
});

test('documentJson of a stored document matches JSON.stringify for every character an id and a collection may hold', () => {
  const id = 'Az09_.:-azZ9';
  const collection = 'Aa09_-zZ';
  assert.match(id, DOCUMENT_ID_PATTERN);
  assert.match(collection, COLLECTION_PATTERN);
  const document = storedDocument(id, collection, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', JSON_TEXT);
  assert.is(documentJson(document), JSON.stringify({ ...plain(), id, collection, version: 1, updatedAt: '2026-01-01T00:00:00.000Z' }));
});

test('a copy of a stored document with other data is serialized from its own data, not the stored text', () => {
  const copy = { ...stored(), data: { name: 'changed' } };
  assert.is(storedDataJson(copy), undefined);
  assert.is(documentJson(copy), JSON.stringify(copy));
  assert.ok(documentJson(copy).includes('"changed"'));
});

test('a query page serializes as JSON.stringify would, for stored and plain documents alike', () => {
  const page = { documents: [stored(), plain()], nextCursor: 'abc' };
  assert.is(queryPageJson(page), JSON.stringify(page));
  assert.is(queryPageJson({ documents: [], nextCursor: null }), '{"documents":[],"nextCursor":null}');
});

test.run();

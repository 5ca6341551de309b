import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import { HealthClient } from '../../grpc-sidecar/health-client.js';
import { DOCUMENT_SERVICE } from '../../grpc-sidecar/proto.js';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { assertStatus, dataOf, DocumentServiceApi, jsonToStruct, reflect, status } from '../support/grpc.js';
import { request, uniqueCollection } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';
import { withKnownDifferences, type KnownDifferences } from '../support/known-differences.js';

interface FileDescriptor {
  name: string;
  package: string;
  dependency: string[];
  messageType: Array<{ name: string; nestedType: Array<{ name: string }>; field: Array<{ name: string; typeName: string }> }>;
}

/** Asserts that `call` fails with `code` (INVALID_ARGUMENT unless told) whose message starts by naming `field`: `field: what is wrong`. */
async function assertNamesField(call: Promise<unknown>, field: string, code: status = status.INVALID_ARGUMENT): Promise<void> {
  const error = await assertStatus(call, code);
  assert.ok(error.details.startsWith(`${field}: `), `message "${error.details}" should start with "${field}: "`);
}

/**
 * The gRPC contract of docs/api.md, driven by a real grpc-js client against the started stack (`npm start`'s
 * sidecar in front of the five function processes). `env` selects the store. `differences`: tests the server
 * behind it cannot pass, by title, with why (see known-differences.ts).
 */
export function grpcContract(name: string, env: () => Promise<NodeJS.ProcessEnv>, differences: KnownDifferences = {}): void {
  const title = `gRPC contract (${name})`;
  const test = withKnownDifferences(title, suite<{ stack: Stack & { removeData: () => void }; api: DocumentServiceApi }>(title), differences);

  test.before(async (ctx) => {
    ctx.stack = await startStack({ ...(await env()), MAX_BODY_BYTES: String(64 * 1024) });
    ctx.api = new DocumentServiceApi(ctx.stack.grpcAddress);
  });
  test.after(async (ctx) => {
    ctx.api?.close();
    await ctx.stack?.stop();
    ctx.stack?.removeData();
  });

  const struct = jsonToStruct;

  test('CreateDocument returns the document at version 1 with its timestamps and data', async ({ api }) => {
    const c = uniqueCollection();
    const created = await api.create({ collection: c, id: 'u1', data: struct({ name: 'Ada', age: 36 }) });
    assert.is(created.id, 'u1');
    assert.is(created.collection, c);
    assert.is(created.version, '1');
    assert.equal(dataOf(created), { name: 'Ada', age: 36 });
    assert.ok(created.create_time && Number(created.create_time.seconds) > 1_700_000_000);
    assert.equal(created.update_time, created.create_time);
  });

  test('CreateDocument without an id generates one', async ({ api }) => {
    const created = await api.create({ collection: uniqueCollection(), data: struct({ a: 1 }) });
    assert.match(created.id, /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
  });

  test('ids with every punctuation the pattern allows work on every document RPC', async ({ api }) => {
    const c = uniqueCollection();
    const id = 'a:b.c-d_e9';
    assert.is((await api.create({ collection: c, id, data: struct({ n: 1 }) })).id, id);
    assert.is((await api.get({ collection: c, id })).id, id);
    assert.is((await api.update({ collection: c, id, merge_patch: struct({ n: 2 }) })).version, '2');
    assert.equal(await api.delete({ collection: c, id, expected_version: 2 }), {});
  });

  test('CreateDocument of a taken id is ALREADY_EXISTS naming the id', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'dup', data: struct({ first: true }) });
    await assertStatus(api.create({ collection: c, id: 'dup', data: struct({ first: false }) }), status.ALREADY_EXISTS, "'dup'");
    assert.equal(dataOf(await api.get({ collection: c, id: 'dup' })), { first: true });
  });

  test('CreateDocument retried with the same idempotency_key returns the same document', async ({ api }) => {
    const c = uniqueCollection();
    const first = await api.create({ collection: c, data: struct({ n: 1 }), idempotency_key: 'key-1' });
    const again = await api.create({ collection: c, data: struct({ n: 1 }), idempotency_key: 'key-1' });
    assert.equal(again, first);
  });

  test('an idempotency_key that is not visible ASCII is INVALID_ARGUMENT on CreateDocument and BatchCreateDocuments, and creates nothing', async ({ api }) => {
    const c = uniqueCollection();
    for (const key of ['ключ', 'line\nbreak', 'del\u007f']) {
      await assertStatus(api.create({ collection: c, id: 'k', data: struct({}), idempotency_key: key }), status.INVALID_ARGUMENT, 'visible ASCII');
      await assertStatus(api.batchCreate({ collection: c, documents: [{ id: 'k', data: struct({}) }], idempotency_key: key }), status.INVALID_ARGUMENT, 'visible ASCII');
    }
    await assertStatus(api.get({ collection: c, id: 'k' }), status.NOT_FOUND);
  });

  test('GetDocument reads what REST created, with the same version and instants', async ({ stack, api }) => {
    const c = uniqueCollection();
    const rest = await request(stack.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'r', data: { via: 'rest' } } });
    const got = await api.get({ collection: c, id: 'r' });
    assert.equal(dataOf(got), { via: 'rest' });
    assert.is(got.version, String(rest.body.version));
    const millis = Number(got.create_time!.seconds) * 1000 + got.create_time!.nanos / 1e6;
    assert.is(new Date(millis).toISOString(), rest.body.createdAt);
  });

  test('GetDocument of a missing document is NOT_FOUND with the problem detail as message', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.get({ collection: c, id: 'ghost' }), status.NOT_FOUND, `document 'ghost' does not exist in collection '${c}'`);
  });

  test('UpdateDocument with data replaces it and grows the version by one', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'x', data: struct({ a: 1, b: 2 }) });
    const updated = await api.update({ collection: c, id: 'x', data: struct({ c: 3 }) });
    assert.is(updated.version, '2');
    assert.equal(dataOf(updated), { c: 3 });
  });

  test('UpdateDocument with merge_patch merges, and a null member deletes its key', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'm', data: struct({ keep: 1, drop: 2, nested: { a: 1, b: 2 } }) });
    const patched = await api.update({ collection: c, id: 'm', merge_patch: struct({ drop: null, nested: { b: null, c: 3 }, added: [1, 'two'] }) });
    assert.equal(dataOf(patched), { keep: 1, nested: { a: 1, c: 3 }, added: [1, 'two'] });
  });

  test('UpdateDocument with the current expected_version succeeds', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'v', data: struct({ n: 1 }) });
    const updated = await api.update({ collection: c, id: 'v', data: struct({ n: 2 }), expected_version: 1 });
    assert.is(updated.version, '2');
  });

  test('UpdateDocument with a stale expected_version is ABORTED and changes nothing', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'v', data: struct({ n: 1 }) });
    await api.update({ collection: c, id: 'v', data: struct({ n: 2 }) });
    await assertStatus(api.update({ collection: c, id: 'v', merge_patch: struct({ n: 3 }), expected_version: 1 }), status.ABORTED, 'version 2, not 1');
    const current = await api.get({ collection: c, id: 'v' });
    assert.is(current.version, '2');
    assert.equal(dataOf(current), { n: 2 });
  });

  test('UpdateDocument of a missing document is NOT_FOUND and creates nothing', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.update({ collection: c, id: 'ghost', data: struct({ a: 1 }) }), status.NOT_FOUND, "'ghost'");
    await assertStatus(api.get({ collection: c, id: 'ghost' }), status.NOT_FOUND);
  });

  test('UpdateDocument without data, merge_patch or update is INVALID_ARGUMENT', async ({ api }) => {
    await assertStatus(api.update({ collection: uniqueCollection(), id: 'x' }), status.INVALID_ARGUMENT, 'merge_patch');
  });

  test('UpdateDocument with update applies the operators', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'o', data: struct({ n: 1, tags: ['a'] }) });
    const updated = await api.update({ collection: c, id: 'o', update: struct({ $inc: { n: 2 }, $push: { tags: 'b' } }) });
    assert.is(updated.version, '2');
    assert.equal(dataOf(updated), { n: 3, tags: ['a', 'b'] });
  });

  test('UpdateDocument with an invalid update is INVALID_ARGUMENT naming the path, and changes nothing', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'o', data: struct({ s: 'text' }) });
    await assertStatus(api.update({ collection: c, id: 'o', update: struct({ $inc: { s: 1 } }) }), status.INVALID_ARGUMENT, 's');
    assert.is((await api.get({ collection: c, id: 'o' })).version, '1');
  });

  test('UpdateDocument with upsert creates an absent document, then replaces it', async ({ api }) => {
    const c = uniqueCollection();
    assert.is((await api.update({ collection: c, id: 'u', data: struct({ n: 1 }), upsert: true })).version, '1');
    const replaced = await api.update({ collection: c, id: 'u', data: struct({ n: 2 }), upsert: true });
    assert.is(replaced.version, '2');
    assert.equal(dataOf(replaced), { n: 2 });
  });

  test('UpdateDocument with upsert and a patch is INVALID_ARGUMENT', async ({ api }) => {
    await assertStatus(api.update({ collection: uniqueCollection(), id: 'u', update: struct({ $set: { n: 1 } }), upsert: true }), status.INVALID_ARGUMENT, 'upsert');
  });

  test('BatchCreateDocuments answers one result per item with the status it would have had alone', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'taken', data: struct({}) });
    const reply = await api.batchCreate({
      collection: c,
      documents: [{ id: 'a', data: struct({ n: 1 }) }, { id: 'taken', data: struct({}) }, { id: 'b', data: struct({}) }],
    });
    assert.equal(reply.results.map((r) => r.status), [201, 409, 424]);
    assert.equal([reply.results[0]!.id, reply.results[0]!.version], ['a', '1']);
    assert.is(reply.results[1]!.problem?.status, 409);
    assert.equal(dataOf(await api.get({ collection: c, id: 'a' })), { n: 1 });
  });

  test('BatchCreateDocuments with ordered false tries every item', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'taken', data: struct({}) });
    const reply = await api.batchCreate({ collection: c, documents: [{ id: 'taken', data: struct({}) }, { id: 'b', data: struct({}) }], ordered: false });
    assert.equal(reply.results.map((r) => r.status), [409, 201]);
  });

  test('BatchCreateDocuments answers an item with a bad id for that item alone', async ({ api }) => {
    const c = uniqueCollection();
    const reply = await api.batchCreate({ collection: c, documents: [{ id: 'a', data: struct({}) }, { id: '-bad', data: struct({}) }, { id: 'b', data: struct({}) }], ordered: false });
    assert.equal(reply.results.map((r) => r.status), [201, 400, 201]);
    assert.match(reply.results[1]!.problem!.detail, 'documents[1].id');
    assert.is((await api.count({ collection: c })).count, '2');
  });

  test('BatchCreateDocuments answers an item whose data holds a NaN for that item alone, in its place', async ({ api }) => {
    const c = uniqueCollection();
    const nan = { fields: { n: { numberValue: Number.NaN } } };
    const reply = await api.batchCreate({ collection: c, documents: [{ id: 'a', data: struct({}) }, { id: 'b', data: nan }, { id: 'c', data: struct({}) }], ordered: false });
    assert.equal(reply.results.map((r) => r.status), [201, 400, 201]);
    assert.match(reply.results[1]!.problem!.detail, 'documents[1].data.n');
    assert.equal((await api.query({ collection: c })).documents.map((d) => d.id), ['a', 'c']);
  });

  test('BatchCreateDocuments ordered stops at an item whose data holds a NaN', async ({ api }) => {
    const c = uniqueCollection();
    const nan = { fields: { n: { numberValue: Number.NaN } } };
    const reply = await api.batchCreate({ collection: c, documents: [{ id: 'a', data: struct({}) }, { id: 'b', data: nan }, { id: 'c', data: struct({}) }] });
    assert.equal(reply.results.map((r) => r.status), [201, 400, 424]);
    assert.is((await api.count({ collection: c })).count, '1');
  });

  test('BatchCreateDocuments ordered leaves an item with a NaN not attempted after an earlier failure', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'taken', data: struct({}) });
    const nan = { fields: { n: { numberValue: Number.NaN } } };
    const reply = await api.batchCreate({ collection: c, documents: [{ id: 'taken', data: struct({}) }, { id: 'b', data: nan }] });
    assert.equal(reply.results.map((r) => r.status), [409, 424]);
  });

  test('BatchCreateDocuments retried with the same idempotency_key replays the same results', async ({ api }) => {
    const c = uniqueCollection();
    const request = { collection: c, documents: [{ data: struct({ n: 1 }) }, { data: struct({ n: 2 }) }], idempotency_key: 'batch-1' };
    const first = await api.batchCreate(request);
    assert.equal(await api.batchCreate(request), first);
    assert.is((await api.count({ collection: c })).count, '2');
  });

  test('BatchCreateDocuments with an idempotency_key used for other documents names idempotency_key in each item’s problem', async ({ api }) => {
    const c = uniqueCollection();
    await api.batchCreate({ collection: c, documents: [{ data: struct({ n: 1 }) }], idempotency_key: 'batch-2' });
    const reply = await api.batchCreate({ collection: c, documents: [{ data: struct({ n: 2 }) }], idempotency_key: 'batch-2' });
    assert.is(reply.results[0]!.status, 409);
    assert.is(reply.results[0]!.problem!.detail, 'idempotency_key: was already used with a different request');
    assert.is((await api.count({ collection: c })).count, '1');
  });

  test('BatchUpdateDocuments applies the operators to the matching documents', async ({ api }) => {
    const c = uniqueCollection();
    await api.batchCreate({ collection: c, documents: [{ id: 'a', data: struct({ t: 1, n: 1 }) }, { id: 'b', data: struct({ t: 2, n: 1 }) }] });
    const reply = await api.batchUpdate({ collection: c, filter: struct({ t: 1 }), update: struct({ $inc: { n: 1 } }) });
    assert.equal([reply.matched, reply.modified], ['1', '1']);
    assert.equal(dataOf(await api.get({ collection: c, id: 'a' })), { t: 1, n: 2 });
  });

  test('BatchUpdateDocuments without operators is INVALID_ARGUMENT', async ({ api }) => {
    await assertStatus(api.batchUpdate({ collection: uniqueCollection(), filter: struct({}), update: struct({ n: 1 }) }), status.INVALID_ARGUMENT);
  });

  test('BatchUpdateDocuments without a filter is INVALID_ARGUMENT and changes nothing', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'a', data: struct({ n: 1 }) });
    await assertStatus(api.batchUpdate({ collection: c, update: struct({ $inc: { n: 1 } }) }), status.INVALID_ARGUMENT, 'filter');
    assert.equal(dataOf(await api.get({ collection: c, id: 'a' })), { n: 1 });
  });

  test('BatchDeleteDocuments without a filter is INVALID_ARGUMENT and deletes nothing', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'a', data: struct({}) });
    await assertStatus(api.batchDelete({ collection: c }), status.INVALID_ARGUMENT, 'filter');
    assert.is((await api.count({ collection: c })).count, '1');
  });

  test('BatchDeleteDocuments with an empty filter deletes every document', async ({ api }) => {
    const c = uniqueCollection();
    await api.batchCreate({ collection: c, documents: [{ data: struct({}) }, { data: struct({}) }] });
    assert.is((await api.batchDelete({ collection: c, filter: struct({}) })).deleted, '2');
  });

  test('BatchDeleteDocuments deletes the matching documents, at most limit', async ({ api }) => {
    const c = uniqueCollection();
    await api.batchCreate({ collection: c, documents: [{ id: 'a', data: struct({ old: true }) }, { id: 'b', data: struct({ old: true }) }] });
    assert.is((await api.batchDelete({ collection: c, filter: struct({ old: true }), limit: 1 })).deleted, '1');
    assert.is((await api.batchDelete({ collection: c, filter: struct({ old: true }) })).deleted, '1');
    assert.is((await api.count({ collection: c })).count, '0');
  });

  test('DeleteDocument returns Empty and the document is gone', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'd', data: struct({}) });
    assert.equal(await api.delete({ collection: c, id: 'd' }), {});
    await assertStatus(api.get({ collection: c, id: 'd' }), status.NOT_FOUND);
  });

  test('an expected_version that is negative or past 2^53 - 1 is INVALID_ARGUMENT naming expected_version', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'v', data: struct({ n: 1 }) });
    await assertStatus(api.update({ collection: c, id: 'v', data: struct({ n: 2 }), expected_version: -1 }), status.INVALID_ARGUMENT, 'expected_version');
    await assertStatus(api.delete({ collection: c, id: 'v', expected_version: '99999999999999999' }), status.INVALID_ARGUMENT, 'expected_version');
    await assertStatus(api.delete({ collection: c, id: 'v', expected_version: '9007199254740993' }), status.INVALID_ARGUMENT, 'expected_version');
    assert.equal(dataOf(await api.get({ collection: c, id: 'v' })), { n: 1 });
  });

  test('DeleteDocument with a stale expected_version is ABORTED and the document stays', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'd', data: struct({}) });
    await assertStatus(api.delete({ collection: c, id: 'd', expected_version: 2 }), status.ABORTED);
    assert.is((await api.get({ collection: c, id: 'd' })).version, '1');
    assert.equal(await api.delete({ collection: c, id: 'd', expected_version: 1 }), {});
  });

  test('an expected_version from an earlier incarnation is ABORTED on update and delete, and the new one stays', async ({ api }) => {
    const c = uniqueCollection();
    const first = await api.create({ collection: c, id: 'k', data: struct({ incarnation: 'A' }) });
    await api.delete({ collection: c, id: 'k' });
    const second = await api.create({ collection: c, id: 'k', data: struct({ incarnation: 'B' }) });
    assert.is(second.version, '3');
    const stale = Number(first.version);
    await assertStatus(api.update({ collection: c, id: 'k', data: struct({ incarnation: 'A2' }), expected_version: stale }), status.ABORTED);
    await assertStatus(api.update({ collection: c, id: 'k', merge_patch: struct({ incarnation: 'A2' }), expected_version: stale }), status.ABORTED);
    await assertStatus(api.delete({ collection: c, id: 'k', expected_version: stale }), status.ABORTED);
    const current = await api.get({ collection: c, id: 'k' });
    assert.is(current.version, '3');
    assert.equal(dataOf(current), { incarnation: 'B' });
  });

  test('DeleteDocument of a missing document is NOT_FOUND', async ({ api }) => {
    await assertStatus(api.delete({ collection: uniqueCollection(), id: 'ghost' }), status.NOT_FOUND);
  });

  test('QueryDocuments filters, sorts, limits, projects and pages with next_cursor', async ({ api }) => {
    const c = uniqueCollection();
    const people: Array<{ id: string; data: JsonObject }> = [
      { id: 'a', data: { name: 'Ada', age: 36, tags: ['math'] } },
      { id: 'b', data: { name: 'Bob', age: 25, tags: ['art', 'math'] } },
      { id: 'c', data: { name: 'Cy', age: 36 } },
      { id: 'd', data: { name: 'Di', age: 17, tags: ['math'] } },
    ];
    for (const p of people) await api.create({ collection: c, id: p.id, data: struct(p.data) });
    const filtered = await api.query({ collection: c, filter: struct({ tags: 'math', age: { $gte: 18 } }), sort: struct({ age: -1 }) });
    assert.equal(filtered.documents.map((d) => d.id), ['a', 'b']);
    assert.is(filtered.next_cursor, '');
    const first = await api.query({ collection: c, sort: struct({ age: 1 }), limit: 2, fields: ['name'] });
    assert.equal(first.documents.map((d) => [d.id, dataOf(d)]), [['d', { name: 'Di' }], ['b', { name: 'Bob' }]]);
    assert.ok(first.next_cursor, 'a cursor to the next page');
    const second = await api.query({ collection: c, sort: struct({ age: 1 }), limit: 2, cursor: first.next_cursor });
    assert.equal(second.documents.map((d) => d.id), ['a', 'c']);
  });

  test('QueryDocuments with sort_keys sorts by the fields in the order listed, and pages on with next_cursor', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'x1', data: struct({ a: 1, b: 2 }) });
    await api.create({ collection: c, id: 'x2', data: struct({ a: 2, b: 1 }) });
    const byB = [{ path: 'b', direction: 1 }, { path: 'a', direction: 1 }];
    assert.equal((await api.query({ collection: c, sort_keys: byB })).documents.map((d) => d.id), ['x2', 'x1']);
    const byA = [{ path: 'a', direction: 1 }, { path: 'b', direction: 1 }];
    assert.equal((await api.query({ collection: c, sort_keys: byA })).documents.map((d) => d.id), ['x1', 'x2']);
    const first = await api.query({ collection: c, sort_keys: byB, limit: 1 });
    const second = await api.query({ collection: c, sort_keys: byB, limit: 1, cursor: first.next_cursor });
    assert.equal([...first.documents, ...second.documents].map((d) => d.id), ['x2', 'x1']);
  });

  test('QueryDocuments with both sort and sort_keys, or a path listed twice in sort_keys, is INVALID_ARGUMENT', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.query({ collection: c, sort: struct({ a: 1 }), sort_keys: [{ path: 'a', direction: 1 }] }), status.INVALID_ARGUMENT, 'sort_keys');
    const twice = [{ path: 'a', direction: 1 }, { path: 'a', direction: -1 }];
    await assertStatus(api.query({ collection: c, sort_keys: twice }), status.INVALID_ARGUMENT, 'sort_keys[1].path');
  });

  const byCity = { name: 'by_city', keys: [{ path: 'city', direction: 1 }, { path: 'age', direction: -1 }], unique: false };

  test('CreateIndex creates (created), then finds the same definition (not created); ListIndexes lists it in key order', async ({ api }) => {
    const c = uniqueCollection();
    const first = await api.createIndex({ collection: c, index: byCity });
    assert.is(first.created, true);
    assert.equal(first.index, byCity);
    assert.is((await api.createIndex({ collection: c, index: byCity })).created, false);
    assert.equal((await api.listIndexes({ collection: c })).indexes, [byCity]);
  });

  test('CreateIndex of a taken name with another definition is ALREADY_EXISTS; a bad definition is INVALID_ARGUMENT', async ({ api }) => {
    const c = uniqueCollection();
    await api.createIndex({ collection: c, index: byCity });
    await assertStatus(api.createIndex({ collection: c, index: { ...byCity, unique: true } }), status.ALREADY_EXISTS, 'by_city');
    await assertStatus(api.createIndex({ collection: c, index: { name: 'ix', keys: [{ path: 'a', direction: 2 }] } }), status.INVALID_ARGUMENT);
    await assertStatus(api.createIndex({ collection: c }), status.INVALID_ARGUMENT, 'index');
  });

  test('CreateIndex and DropIndex with an empty or bad index name are INVALID_ARGUMENT', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.createIndex({ collection: c, index: { name: '', keys: [{ path: 'a', direction: 1 }] } }), status.INVALID_ARGUMENT, 'name');
    await assertStatus(api.dropIndex({ collection: c, name: '' }), status.INVALID_ARGUMENT, 'name');
    await assertStatus(api.dropIndex({ collection: c, name: '9lives' }), status.INVALID_ARGUMENT, 'name');
  });

  test('CreateIndex naming one path twice is INVALID_ARGUMENT and creates nothing', async ({ api }) => {
    const c = uniqueCollection();
    const twice = { name: 'ix', keys: [{ path: 'a', direction: 1 }, { path: 'a', direction: -1 }] };
    await assertStatus(api.createIndex({ collection: c, index: twice }), status.INVALID_ARGUMENT, 'index.keys[1].path');
    assert.equal((await api.listIndexes({ collection: c })).indexes, []);
  });

  test('CreateIndex with a path __proto__ is INVALID_ARGUMENT naming it, as over REST, and creates nothing', async ({ api }) => {
    const c = uniqueCollection();
    const index = { name: 'ix', keys: [{ path: 'a', direction: 1 }, { path: '__proto__', direction: -1 }], unique: true };
    await assertStatus(api.createIndex({ collection: c, index }), status.INVALID_ARGUMENT, '__proto__');
    assert.equal((await api.listIndexes({ collection: c })).indexes, []);
  });

  test('DropIndex drops the index; dropping it again is NOT_FOUND', async ({ api }) => {
    const c = uniqueCollection();
    await api.createIndex({ collection: c, index: byCity });
    assert.equal(await api.dropIndex({ collection: c, name: 'by_city' }), {});
    await assertStatus(api.dropIndex({ collection: c, name: 'by_city' }), status.NOT_FOUND, 'by_city');
  });

  test('a create that breaks a unique index is ALREADY_EXISTS', async ({ api }) => {
    const c = uniqueCollection();
    await api.createIndex({ collection: c, index: { name: 'by_email', keys: [{ path: 'email', direction: 1 }], unique: true } });
    await api.create({ collection: c, id: 'a', data: struct({ email: 'x' }) });
    await assertStatus(api.create({ collection: c, id: 'b', data: struct({ email: 'x' }) }), status.ALREADY_EXISTS, 'by_email');
  });

  test('CountDocuments counts the documents a filter matches', async ({ api }) => {
    const c = uniqueCollection();
    for (const [id, city] of [['a', 'Oslo'], ['b', 'Rome'], ['d', 'Oslo']] as const) await api.create({ collection: c, id, data: struct({ city }) });
    assert.is((await api.count({ collection: c, filter: struct({ city: 'Oslo' }) })).count, '2');
    assert.is((await api.count({ collection: c })).count, '3');
    await assertStatus(api.count({ collection: c, filter: struct({ $where: 'x' }) }), status.INVALID_ARGUMENT, '$where');
  });

  test('QueryDocuments with explain answers the plan instead of documents', async ({ api }) => {
    const c = uniqueCollection();
    for (let i = 0; i < 4; i++) await api.create({ collection: c, id: `p${i}`, data: struct({ city: 'Oslo', age: i }) });
    const reply = await api.query({ collection: c, filter: struct({ city: 'Oslo' }), limit: 2, explain: true });
    assert.equal(reply.documents, []);
    assert.is(reply.plan?.returned, '2');
    assert.ok(Number(reply.plan?.documents_examined) >= 2);
  });

  test('QueryDocuments with an operator outside the allowlist is INVALID_ARGUMENT naming it', async ({ api }) => {
    await assertStatus(api.query({ collection: uniqueCollection(), filter: struct({ $where: 'sleep(1000)' }) }), status.INVALID_ARGUMENT, '$where');
  });

  test('a collection that breaks its pattern, or is empty, is INVALID_ARGUMENT on every RPC', async ({ api }) => {
    for (const bad of ['9bad', '']) {
      await assertStatus(api.create({ collection: bad, data: struct({}) }), status.INVALID_ARGUMENT, 'collection');
      await assertStatus(api.get({ collection: bad, id: 'x' }), status.INVALID_ARGUMENT, 'collection');
      await assertStatus(api.update({ collection: bad, id: 'x', data: struct({}) }), status.INVALID_ARGUMENT, 'collection');
      await assertStatus(api.delete({ collection: bad, id: 'x' }), status.INVALID_ARGUMENT, 'collection');
      await assertStatus(api.query({ collection: bad }), status.INVALID_ARGUMENT, 'collection');
    }
  });

  test('an id that breaks its pattern is INVALID_ARGUMENT', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.create({ collection: c, id: '-dash', data: struct({}) }), status.INVALID_ARGUMENT, 'id');
    await assertStatus(api.get({ collection: c, id: '' }), status.INVALID_ARGUMENT, 'id');
    await assertStatus(api.delete({ collection: c, id: 'a b' }), status.INVALID_ARGUMENT, 'id');
  });

  test('data keys starting with $ are INVALID_ARGUMENT naming the key', async ({ api }) => {
    await assertStatus(api.create({ collection: uniqueCollection(), data: struct({ ok: { $bad: 1 } }) }), status.INVALID_ARGUMENT, '$bad');
  });

  test('data larger than MAX_BODY_BYTES (413) is INVALID_ARGUMENT', async ({ api }) => {
    const c = uniqueCollection();
    await assertStatus(api.create({ collection: c, id: 'big', data: struct({ blob: 'x'.repeat(70 * 1024) }) }), status.INVALID_ARGUMENT);
    await assertStatus(api.get({ collection: c, id: 'big' }), status.NOT_FOUND);
  });

  // INVALID_ARGUMENT names the field of the gRPC request that is wrong, in its own spelling: not the REST
  // header, body member or query parameter the sidecar sent it as.
  test('INVALID_ARGUMENT from CreateDocument names idempotency_key and data paths, not the header or REST body', async ({ api }) => {
    const c = uniqueCollection();
    await assertNamesField(api.create({ collection: c, data: struct({}), idempotency_key: 'ключ' }), 'idempotency_key');
    await assertNamesField(api.create({ collection: c, data: struct(JSON.parse('{"ok": {"__proto__": 1}}') as JsonObject) }), 'data.ok.__proto__');
    await assertNamesField(api.create({ collection: c, id: '-dash', data: struct({}) }), 'id');
  });

  test('INVALID_ARGUMENT from GetDocument names collection or id', async ({ api }) => {
    await assertNamesField(api.get({ collection: '9bad', id: 'x' }), 'collection');
    await assertNamesField(api.get({ collection: uniqueCollection(), id: '' }), 'id');
  });

  test('INVALID_ARGUMENT from UpdateDocument names merge_patch and expected_version, not the REST patch or If-Match', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'u', data: struct({ n: 1 }) });
    await assertNamesField(api.update({ collection: c, id: 'u', merge_patch: struct({ a: { $x: 1 } }) }), 'merge_patch.a.$x');
    await assertNamesField(api.update({ collection: c, id: 'u', data: struct({ n: 2 }), expected_version: -1 }), 'expected_version');
    await assertNamesField(api.update({ collection: c, id: 'u', update: struct({ $inc: { n: 'x' } }) }), 'update.$inc.n');
    await assertNamesField(api.update({ collection: c, id: 'u', merge_patch: struct({ n: 2 }), upsert: true }), 'upsert');
  });

  test('INVALID_ARGUMENT from DeleteDocument names expected_version, not If-Match', async ({ api }) => {
    await assertNamesField(api.delete({ collection: uniqueCollection(), id: 'd', expected_version: '99999999999999999' }), 'expected_version');
  });

  test('INVALID_ARGUMENT from QueryDocuments names limit, max_time_ms, sort and the sort_keys item, not the REST body', async ({ api }) => {
    const c = uniqueCollection();
    await assertNamesField(api.query({ collection: c, limit: 5000 }), 'limit');
    await assertNamesField(api.query({ collection: c, max_time_ms: -5 }), 'max_time_ms');
    await assertNamesField(api.query({ collection: c, sort: struct({ a: 2 }) }), 'sort.a');
    await assertNamesField(api.query({ collection: c, sort_keys: [{ path: 'b', direction: 1 }, { path: 'a', direction: 2 }] }), 'sort_keys[1].direction');
    await assertNamesField(api.query({ collection: c, sort_keys: [{ path: 'b', direction: 1 }, { path: '$a', direction: 1 }] }), 'sort_keys[1].path');
    await assertNamesField(api.query({ collection: c, filter: struct({ a: { $in: 3 } }) }), 'filter.a.$in');
  });

  test('INVALID_ARGUMENT from CountDocuments names max_time_ms, not maxTimeMs', async ({ api }) => {
    await assertNamesField(api.count({ collection: uniqueCollection(), max_time_ms: -5 }), 'max_time_ms');
  });

  test('INVALID_ARGUMENT from CreateIndex names index.name, index.keys and the keys item, not the REST path or body', async ({ api }) => {
    const c = uniqueCollection();
    const key = (path: string, direction = 1) => ({ path, direction });
    await assertNamesField(api.createIndex({ collection: c, index: { name: '9lives', keys: [key('a')] } }), 'index.name');
    await assertNamesField(api.createIndex({ collection: c, index: { name: 'ix', keys: [] } }), 'index.keys');
    await assertNamesField(api.createIndex({ collection: c, index: { name: 'ix', keys: [key('b'), key('a', 2)] } }), 'index.keys[1].direction');
    await assertNamesField(api.createIndex({ collection: c, index: { name: 'ix', keys: [key('b'), key('$a')] } }), 'index.keys[1].path');
    await assertNamesField(api.createIndex({ collection: c, index: { name: 'ix', keys: [key('a'), key('a.b')] } }), 'index.keys[1].path');
    await assertNamesField(api.createIndex({ collection: c, index: { name: 'ix', keys: [key('a'), key('__proto__')] } }), 'index.keys[1].path');
    assert.equal((await api.listIndexes({ collection: c })).indexes, []);
  });

  test('INVALID_ARGUMENT from ListIndexes and DropIndex names collection or name', async ({ api }) => {
    await assertNamesField(api.listIndexes({ collection: '9bad' }), 'collection');
    await assertNamesField(api.dropIndex({ collection: '9bad', name: 'ix' }), 'collection');
    await assertNamesField(api.dropIndex({ collection: uniqueCollection(), name: '9lives' }), 'name');
  });

  test('a request over MAX_BODY_BYTES (413) names the field it sends as its body: data, merge_patch, update, documents', async ({ api }) => {
    const c = uniqueCollection();
    const big = struct({ blob: 'x'.repeat(70 * 1024) });
    await assertNamesField(api.create({ collection: c, id: 'big', data: big }), 'data');
    await api.create({ collection: c, id: 'u', data: struct({}) });
    await assertNamesField(api.update({ collection: c, id: 'u', data: big }), 'data');
    await assertNamesField(api.update({ collection: c, id: 'u', merge_patch: big }), 'merge_patch');
    await assertNamesField(api.update({ collection: c, id: 'u', update: struct({ $set: { blob: 'x'.repeat(70 * 1024) } }) }), 'update');
    await assertNamesField(api.batchCreate({ collection: c, documents: [{ data: big }] }), 'documents');
  });

  test('a change whose updated data would pass MAX_BODY_BYTES (413) names the change field, merge_patch or update', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, id: 'near', data: struct({ a: 'x'.repeat(40 * 1024) }) });
    await assertNamesField(api.update({ collection: c, id: 'near', merge_patch: struct({ b: 'y'.repeat(40 * 1024) }) }), 'merge_patch');
    await assertNamesField(api.update({ collection: c, id: 'near', update: struct({ $set: { b: 'y'.repeat(40 * 1024) } }) }), 'update');
    assert.is(dataOf(await api.get({ collection: c, id: 'near' })).b, undefined);
  });

  test('CreateDocument with an idempotency_key already used for another request is ALREADY_EXISTS naming idempotency_key', async ({ api }) => {
    const c = uniqueCollection();
    await api.create({ collection: c, data: struct({ n: 1 }), idempotency_key: 'reused-1' });
    await assertNamesField(api.create({ collection: c, data: struct({ n: 2 }), idempotency_key: 'reused-1' }), 'idempotency_key', status.ALREADY_EXISTS);
  });

  test('INVALID_ARGUMENT from BatchCreateDocuments names documents and idempotency_key, not the REST body or header', async ({ api }) => {
    const c = uniqueCollection();
    await assertNamesField(api.batchCreate({ collection: c, documents: [] }), 'documents');
    await assertNamesField(api.batchCreate({ collection: c, documents: [{ data: struct({}) }], idempotency_key: 'ключ' }), 'idempotency_key');
  });

  test('INVALID_ARGUMENT from BatchUpdateDocuments names filter, update and limit, not the REST body', async ({ api }) => {
    const c = uniqueCollection();
    await assertNamesField(api.batchUpdate({ collection: c, update: struct({ $inc: { n: 1 } }) }), 'filter');
    await assertNamesField(api.batchUpdate({ collection: c, filter: struct({}) }), 'update');
    await assertNamesField(api.batchUpdate({ collection: c, filter: struct({}), update: struct({ $inc: { n: 1 } }), limit: -1 }), 'limit');
  });

  test('INVALID_ARGUMENT from BatchDeleteDocuments names filter and limit, not the REST body', async ({ api }) => {
    const c = uniqueCollection();
    await assertNamesField(api.batchDelete({ collection: c }), 'filter');
    await assertNamesField(api.batchDelete({ collection: c, filter: struct({}), limit: -1 }), 'limit');
  });

  test('a document nested to the 32-level limit round-trips exactly through Struct', async ({ stack, api }) => {
    const c = uniqueCollection();
    // data is level 1, level1..level29 reach 30, `bottom` is 31 and its empty array and object 32.
    let deep: Record<string, unknown> = { bottom: [null, true, false, 0, -0.5, 1e-7, 2 ** 53 - 1, '', 'ünïcødé ✓', [], {}] };
    for (let level = 29; level > 0; level--) deep = { [`level${level}`]: deep, list: [level, { at: level }, [level, [null]]] };
    const data = { ...deep, numbers: { int: 42, negative: -17, float: 3.141592653589793, big: 1.7976931348623157e308, tiny: 5e-324 } };
    const created = await api.create({ collection: c, id: 'deep', data: struct(data as never) });
    assert.equal(dataOf(created), data);
    assert.equal(dataOf(await api.get({ collection: c, id: 'deep' })), data);
    const rest = await request(stack.url, 'GET', `/v1/collections/${c}/documents/deep`);
    assert.equal(rest.body.data, data, 'stored as the same JSON');
  });

  test('the health service answers SERVING for the server and for DocumentService', async ({ stack }) => {
    const health = new HealthClient(stack.grpcAddress);
    try {
      assert.is(await health.check(''), 'SERVING');
      assert.is(await health.check(DOCUMENT_SERVICE), 'SERVING');
      await assertStatus(health.check('no.such.Service'), status.NOT_FOUND);
    } finally {
      health.close();
    }
  });

  test('server reflection lists DocumentService and the health service', async ({ stack }) => {
    const reply = await reflect(stack.grpcAddress, { list_services: '' });
    assert.equal(reply.list_services_response!.service.map((s) => s.name).sort(), ['dbsvc.v1.DocumentService', 'grpc.health.v1.Health']);
  });

  test('reflection serves descriptors a strict client can build: imports declared, map entries named', async ({ stack }) => {
    const reply = await reflect(stack.grpcAddress, { file_containing_symbol: DOCUMENT_SERVICE });
    const files = reply.file_descriptor_response!.file_descriptor_proto.map((bytes) => descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor);
    const byPackage = new Map(files.map((file) => [file.package, file]));
    const service = byPackage.get('dbsvc.v1')!;
    const wellKnown = byPackage.get('google.protobuf')!;
    assert.equal(service.dependency, [wellKnown.name]);
    const struct = wellKnown.messageType.find((m) => m.name === 'Struct')!;
    assert.equal(struct.nestedType.map((n) => n.name), ['FieldsEntry']);
    assert.match(struct.field.find((f) => f.name === 'fields')!.typeName, /(^|\.)FieldsEntry$/);
  });

  test('the stack is ready only with its sidecar: /readyz reports it', async ({ stack }) => {
    const ready = await request(stack.url, 'GET', '/readyz');
    assert.is(ready.status, 200);
    assert.is(ready.body['grpc-sidecar'], 'ready');
  });

  test.run();
}

import { suite } from 'uvu';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import * as assert from 'uvu/assert';
import { request, uniqueCollection, type Reply } from '../support/http.js';
import { withKnownDifferences, type KnownDifferences } from '../support/known-differences.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The REST contract of docs/api.md, driven over HTTP against the started stack. `env` selects the store, so
 * the same specification runs on SQLite and on MongoDB. `differences`: tests the server behind it cannot pass,
 * by title, with why (see known-differences.ts).
 */
export function restContract(name: string, env: () => Promise<NodeJS.ProcessEnv>, differences: KnownDifferences = {}): void {
  const title = `REST contract (${name})`;
  const test = withKnownDifferences(title, suite<{ stack: Stack & { removeData: () => void } }>(title), differences);

  test.before(async (ctx) => {
    ctx.stack = await startStack({ ...(await env()), MAX_BODY_BYTES: String(64 * 1024) });
  });
  test.after(async (ctx) => {
    await ctx.stack?.stop();
    ctx.stack?.removeData();
  });

  const call = <T = any>(ctx: { stack: Stack }, method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request<T>(ctx.stack.url, method, path, options);
  const docs = (collection: string) => `/v1/collections/${collection}/documents`;
  const create = (ctx: { stack: Stack }, collection: string, body: unknown, headers?: Record<string, string>) =>
    call(ctx, 'POST', docs(collection), { json: body, ...(headers ? { headers } : {}) });

  const range30 = () => Array.from({ length: 30 }, (_, i) => i);

  function assertProblem(reply: Reply, status: number, mentions?: string): void {
    assert.is(reply.status, status, reply.text);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.is(reply.body.status, status);
    assert.type(reply.body.type, 'string');
    assert.type(reply.body.title, 'string');
    assert.type(reply.body.detail, 'string');
    if (mentions) assert.ok(reply.body.detail.includes(mentions), `detail "${reply.body.detail}" should mention ${mentions}`);
  }

  test('create answers 201 with ETag "1", Location and the document', async (ctx) => {
    const c = uniqueCollection();
    const reply = await create(ctx, c, { id: 'u1', data: { name: 'Ada', age: 36 } });
    assert.is(reply.status, 201);
    assert.is(reply.headers.get('etag'), '"1"');
    assert.is(reply.headers.get('location'), `${docs(c)}/u1`);
    assert.equal(reply.body.data, { name: 'Ada', age: 36 });
    assert.is(reply.body.id, 'u1');
    assert.is(reply.body.collection, c);
    assert.is(reply.body.version, 1);
    assert.is(reply.body.createdAt, reply.body.updatedAt);
    assert.ok(!Number.isNaN(Date.parse(reply.body.createdAt)));
  });

  test('create without an id generates one that the contract accepts', async (ctx) => {
    const reply = await create(ctx, uniqueCollection(), { data: { a: 1 } });
    assert.is(reply.status, 201);
    assert.match(reply.body.id, /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
  });

  test('create of an existing id answers 409 and keeps the original', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'dup', data: { first: true } });
    assertProblem(await create(ctx, c, { id: 'dup', data: { first: false } }), 409, 'dup');
    assert.equal((await call(ctx, 'GET', `${docs(c)}/dup`)).body.data, { first: true });
  });

  test('a collection that breaks its pattern answers 400 on every route', async (ctx) => {
    const bad = '9bad';
    assertProblem(await create(ctx, bad, { data: {} }), 400, 'collection');
    assertProblem(await call(ctx, 'GET', `${docs(bad)}/x`), 400, 'collection');
    assertProblem(await call(ctx, 'PUT', `${docs(bad)}/x`, { json: { data: {} } }), 400, 'collection');
    assertProblem(await call(ctx, 'DELETE', `${docs(bad)}/x`), 400, 'collection');
    assertProblem(await call(ctx, 'POST', `/v1/collections/${bad}/query`, { json: {} }), 400, 'collection');
  });

  test('an id that breaks its pattern answers 400 on create and on the document routes', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await create(ctx, c, { id: '-leading-dash', data: {} }), 400, 'id');
    assertProblem(await call(ctx, 'GET', `${docs(c)}/${'x'.repeat(129)}`), 400, 'id');
    assertProblem(await call(ctx, 'DELETE', `${docs(c)}/bad%20id`), 400, 'id');
  });

  test('an empty collection, id or index name in the path answers 400 naming it, not an unknown route', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'GET', '/v1/collections//documents/u1'), 400, 'collection');
    assertProblem(await call(ctx, 'POST', '/v1/collections//query', { json: {} }), 400, 'collection');
    assertProblem(await call(ctx, 'GET', `${docs(c)}/`), 400, 'id');
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/`, { json: { data: {} } }), 400, 'id');
    assertProblem(await call(ctx, 'DELETE', `${docs(c)}/`), 400, 'id');
    assertProblem(await call(ctx, 'DELETE', `/v1/collections/${c}/indexes/`), 400, 'name');
  });

  test('data keys starting with $ or containing a dot answer 400 naming the key', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await create(ctx, c, { data: { $set: 1 } }), 400, '$set');
    assertProblem(await create(ctx, c, { data: { nested: { 'a.b': 1 } } }), 400, 'a.b');
  });

  test('data nested deeper than 32 levels answers 400', async (ctx) => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 32; i++) deep = { d: deep };
    assertProblem(await create(ctx, uniqueCollection(), { data: deep }), 400, 'depth');
  });

  test('data that is not an object answers 400', async (ctx) => {
    assertProblem(await create(ctx, uniqueCollection(), { data: [1, 2] }), 400, 'data');
  });

  test('an unknown body field answers 400 naming it', async (ctx) => {
    assertProblem(await create(ctx, uniqueCollection(), { data: {}, dta: {} }), 400, 'dta');
  });

  test('a body that is not JSON answers 400', async (ctx) => {
    const reply = await call(ctx, 'POST', docs(uniqueCollection()), { body: '{"data": ', headers: { 'content-type': 'application/json' } });
    assertProblem(reply, 400, 'JSON');
  });

  test('a body of another content type answers 415', async (ctx) => {
    const reply = await call(ctx, 'POST', docs(uniqueCollection()), { body: 'data=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assertProblem(reply, 415, 'application/json');
  });

  test('a body larger than MAX_BODY_BYTES answers 413 and stores nothing', async (ctx) => {
    const c = uniqueCollection();
    const reply = await create(ctx, c, { id: 'big', data: { blob: 'x'.repeat(70 * 1024) } });
    assertProblem(reply, 413, 'MAX_BODY_BYTES');
    assert.is((await call(ctx, 'GET', `${docs(c)}/big`)).status, 404);
  });

  test('a create retried with the same Idempotency-Key returns the same document and creates one', async (ctx) => {
    const c = uniqueCollection();
    const headers = { 'Idempotency-Key': 'retry-1' };
    const first = await create(ctx, c, { data: { n: 1 } }, headers);
    const second = await create(ctx, c, { data: { n: 1 } }, headers);
    assert.is(first.status, 201);
    assert.is(second.status, 201);
    assert.equal(second.body, first.body);
    const all = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: {} });
    assert.is(all.body.documents.length, 1);
  });

  test('an Idempotency-Key reused with a different body answers 409', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { data: { n: 1 } }, { 'Idempotency-Key': 'k2' });
    assertProblem(await create(ctx, c, { data: { n: 2 } }, { 'Idempotency-Key': 'k2' }), 409, 'Idempotency-Key');
  });

  test('get answers 200 with the version as ETag', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'g', data: { x: [1, { y: null }] } });
    const reply = await call(ctx, 'GET', `${docs(c)}/g`);
    assert.is(reply.status, 200);
    assert.is(reply.headers.get('etag'), '"1"');
    assert.equal(reply.body.data, { x: [1, { y: null }] });
  });

  test('get of a missing document answers 404', async (ctx) => {
    assertProblem(await call(ctx, 'GET', `${docs(uniqueCollection())}/nope`), 404, 'nope');
  });

  test('get with a matching If-None-Match answers 304 with no body', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'n', data: {} });
    const reply = await call(ctx, 'GET', `${docs(c)}/n`, { headers: { 'If-None-Match': '"1"' } });
    assert.is(reply.status, 304);
    assert.is(reply.text, '');
    assert.is(reply.headers.get('etag'), '"1"');
    assert.is((await call(ctx, 'GET', `${docs(c)}/n`, { headers: { 'If-None-Match': '"7"' } })).status, 200);
  });

  test('PUT replaces data and grows the version by one', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: { a: 1, b: 2 } });
    const reply = await call(ctx, 'PUT', `${docs(c)}/p`, { json: { data: { c: 3 } } });
    assert.is(reply.status, 200);
    assert.is(reply.headers.get('etag'), '"2"');
    assert.equal(reply.body.data, { c: 3 });
    assert.is(reply.body.version, 2);
  });

  test('PUT with the current If-Match succeeds', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: {} });
    const reply = await call(ctx, 'PUT', `${docs(c)}/p`, { json: { data: { ok: true } }, headers: { 'If-Match': '"1"' } });
    assert.is(reply.status, 200);
    assert.is(reply.body.version, 2);
  });

  test('PUT with a stale If-Match answers 412 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: { keep: 1 } });
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/p`, { json: { data: { lost: 1 } }, headers: { 'If-Match': '"5"' } }), 412);
    const after = await call(ctx, 'GET', `${docs(c)}/p`);
    assert.equal(after.body.data, { keep: 1 });
    assert.is(after.body.version, 1);
  });

  test('PUT of a missing document answers 404 and creates nothing', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/ghost`, { json: { data: {} } }), 404);
    assert.is((await call(ctx, 'GET', `${docs(c)}/ghost`)).status, 404);
  });

  test('an If-Match that is not a quoted version answers 400', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: {} });
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/p`, { json: { data: {} }, headers: { 'If-Match': 'three' } }), 400, 'If-Match');
  });

  test('PATCH applies an RFC 7386 merge patch', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'm', data: { a: 1, b: { c: 2, d: 3 }, e: [1] } });
    const reply = await call(ctx, 'PATCH', `${docs(c)}/m`, {
      body: JSON.stringify({ a: null, b: { d: 4 }, e: [2], f: 'new' }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.is(reply.status, 200);
    assert.equal(reply.body.data, { b: { c: 2, d: 4 }, e: [2], f: 'new' });
    assert.is(reply.headers.get('etag'), '"2"');
  });

  test('PATCH with another content type answers 415', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'm', data: {} });
    const reply = await call(ctx, 'PATCH', `${docs(c)}/m`, { body: '{"a":1}', headers: { 'content-type': 'text/plain' } });
    assertProblem(reply, 415, 'merge-patch');
  });

  const operators = (ctx: { stack: Stack }, path: string, update: unknown, headers: Record<string, string> = {}) =>
    call(ctx, 'PATCH', path, { json: update, headers });
  const jsonPatch = (ctx: { stack: Stack }, path: string, patch: unknown, headers: Record<string, string> = {}) =>
    call(ctx, 'PATCH', path, { body: JSON.stringify(patch), headers: { 'content-type': 'application/json-patch+json', ...headers } });

  test('PATCH with application/json applies update operators', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'o', data: { n: 1, tags: ['a'], old: 'x', gone: true } });
    const reply = await operators(ctx, `${docs(c)}/o`, {
      $inc: { n: 2 },
      $set: { 'deep.er': 1 },
      $push: { tags: { $each: ['b', 'c'], $slice: -2 } },
      $rename: { old: 'new' },
      $unset: { gone: '' },
    });
    assert.is(reply.status, 200, reply.text);
    assert.equal(reply.body.data, { n: 3, tags: ['b', 'c'], new: 'x', deep: { er: 1 } });
    assert.is(reply.headers.get('etag'), '"2"');
  });

  test('PATCH with operators and a stale If-Match answers 412 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'o', data: { n: 1 } });
    assertProblem(await operators(ctx, `${docs(c)}/o`, { $inc: { n: 1 } }, { 'If-Match': '"2"' }), 412);
    assert.is((await operators(ctx, `${docs(c)}/o`, { $inc: { n: 1 } }, { 'If-Match': '"1"' })).status, 200);
    assert.equal((await call(ctx, 'GET', `${docs(c)}/o`)).body.data, { n: 2 });
  });

  test('PATCH with an operator error answers 400 naming the path and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'o', data: { s: 'text' } });
    assertProblem(await operators(ctx, `${docs(c)}/o`, { $inc: { s: 1 } }), 400, 's');
    assertProblem(await operators(ctx, `${docs(c)}/o`, { $set: { a: 1 }, $unset: { 'a.b': '' } }), 400, 'conflict');
    assertProblem(await operators(ctx, `${docs(c)}/o`, { s: 'plain' }), 400);
    const got = await call(ctx, 'GET', `${docs(c)}/o`);
    assert.is(got.body.version, 1);
    assert.equal(got.body.data, { s: 'text' });
  });

  test('an update pipeline (an array of stages) answers 400 saying pipelines are not supported, on PATCH and bulk update', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'o', data: { n: 1 } });
    const pipeline = [{ $set: { n: 2 } }];
    assertProblem(await operators(ctx, `${docs(c)}/o`, pipeline), 400, 'update pipelines (an array of stages) are not supported');
    assertProblem(await bulk(ctx, c, 'update', { filter: {}, update: pipeline }), 400, 'body.update: expected an object of update operators');
    assert.is((await call(ctx, 'GET', `${docs(c)}/o`)).body.version, 1);
  });

  test('PATCH with operators of a missing document answers 404', async (ctx) => {
    assertProblem(await operators(ctx, `${docs(uniqueCollection())}/ghost`, { $inc: { n: 1 } }), 404);
  });

  test('30 concurrent $inc of one document lose no increment', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'hot', data: { n: 0 } });
    const replies = await Promise.all(Array.from({ length: 30 }, () => operators(ctx, `${docs(c)}/hot`, { $inc: { n: 1 } })));
    assert.ok(replies.every((r) => r.status === 200), replies.map((r) => r.status).join(','));
    const final = (await call(ctx, 'GET', `${docs(c)}/hot`)).body;
    assert.is(final.data.n, 30);
    assert.is(final.version, 31);
  });

  test('PATCH with application/json-patch+json applies an RFC 6902 patch', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'j', data: { a: 1, list: [1, 2], from: 'v' } });
    const reply = await jsonPatch(ctx, `${docs(c)}/j`, [
      { op: 'test', path: '/a', value: 1 },
      { op: 'replace', path: '/a', value: 2 },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'move', from: '/from', path: '/to' },
    ]);
    assert.is(reply.status, 200, reply.text);
    assert.equal(reply.body.data, { a: 2, list: [1, 2, 3], to: 'v' });
    assert.is(reply.headers.get('etag'), '"2"');
  });

  test('a JSON Patch whose test fails answers 412 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'j', data: { a: 1 } });
    const reply = await jsonPatch(ctx, `${docs(c)}/j`, [
      { op: 'replace', path: '/a', value: 5 },
      { op: 'test', path: '/a', value: 1 },
    ]);
    assertProblem(reply, 412);
    const got = await call(ctx, 'GET', `${docs(c)}/j`);
    assert.is(got.body.version, 1);
    assert.equal(got.body.data, { a: 1 });
  });

  test('a JSON Patch naming a missing location answers 400 naming the operation', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'j', data: { a: 1 } });
    assertProblem(await jsonPatch(ctx, `${docs(c)}/j`, [{ op: 'remove', path: '/a' }, { op: 'remove', path: '/nope' }]), 400, 'patch[1]');
    assert.equal((await call(ctx, 'GET', `${docs(c)}/j`)).body.data, { a: 1 });
  });

  test('a JSON Patch whose copies would copy more than MAX_BODY_BYTES answers 413 naming the copy, and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'j', data: { s: 'x'.repeat(1000) } });
    // Each copy of the whole data doubles it: the seventh copies past 64 KiB, which nothing checks until the end
    // without a bound on copies (thirty would build a terabyte).
    const copies = Array.from({ length: 12 }, (_, i) => ({ op: 'copy', from: '', path: `/c${i}` }));
    assertProblem(await jsonPatch(ctx, `${docs(c)}/j`, copies), 413, 'patch[6].from');
    const got = await call(ctx, 'GET', `${docs(c)}/j`);
    assert.is(got.body.version, 1);
    assert.equal(Object.keys(got.body.data), ['s']);
  });

  test('an update that breaks a unique index answers 409 duplicate-key and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    assert.is((await call(ctx, 'PUT', `/v1/collections/${c}/indexes/by_email`, { json: { keys: { email: 1 }, unique: true } })).status, 201);
    await create(ctx, c, { id: 'a', data: { email: 'a@x' } });
    await create(ctx, c, { id: 'b', data: { email: 'b@x' } });
    const reply = await operators(ctx, `${docs(c)}/b`, { $set: { email: 'a@x' } });
    assertProblem(reply, 409, 'by_email');
    assert.is(reply.body.type, 'urn:dbsvc:problem:duplicate-key');
    assertProblem(await jsonPatch(ctx, `${docs(c)}/b`, [{ op: 'replace', path: '/email', value: 'a@x' }]), 409, 'by_email');
    assert.equal((await call(ctx, 'GET', `${docs(c)}/b`)).body.data, { email: 'b@x' });
  });

  test('PATCH with a stale If-Match answers 412 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'm', data: { a: 1 } });
    const reply = await call(ctx, 'PATCH', `${docs(c)}/m`, {
      body: '{"a":2}',
      headers: { 'content-type': 'application/merge-patch+json', 'If-Match': '"2"' },
    });
    assertProblem(reply, 412);
    assert.equal((await call(ctx, 'GET', `${docs(c)}/m`)).body.data, { a: 1 });
  });

  test('PATCH of a missing document answers 404', async (ctx) => {
    const reply = await call(ctx, 'PATCH', `${docs(uniqueCollection())}/ghost`, {
      body: '{"a":2}',
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assertProblem(reply, 404);
  });

  test('PUT ?upsert=true creates an absent document (201, ETag "1", Location), then replaces it (200)', async (ctx) => {
    const c = uniqueCollection();
    const created = await call(ctx, 'PUT', `${docs(c)}/up?upsert=true`, { json: { data: { n: 1 } } });
    assert.is(created.status, 201, created.text);
    assert.is(created.headers.get('etag'), '"1"');
    assert.is(created.headers.get('location'), `${docs(c)}/up`);
    const replaced = await call(ctx, 'PUT', `${docs(c)}/up?upsert=true`, { json: { data: { n: 2 } } });
    assert.is(replaced.status, 200);
    assert.is(replaced.headers.get('etag'), '"2"');
    assert.equal((await call(ctx, 'GET', `${docs(c)}/up`)).body.data, { n: 2 });
  });

  test('PUT ?upsert=true of a deleted id continues after its tombstone', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'up', data: {} });
    await call(ctx, 'DELETE', `${docs(c)}/up`);
    const reply = await call(ctx, 'PUT', `${docs(c)}/up?upsert=true`, { json: { data: { again: true } } });
    assert.is(reply.status, 201);
    assert.is(reply.headers.get('etag'), '"3"');
  });

  test('PUT with If-None-Match: * creates (201), and answers 412 once the document exists, changing nothing', async (ctx) => {
    const c = uniqueCollection();
    const first = await call(ctx, 'PUT', `${docs(c)}/once`, { json: { data: { n: 1 } }, headers: { 'If-None-Match': '*' } });
    assert.is(first.status, 201, first.text);
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/once`, { json: { data: { n: 2 } }, headers: { 'If-None-Match': '*' } }), 412);
    assert.equal((await call(ctx, 'GET', `${docs(c)}/once`)).body, first.body);
  });

  test('PUT with an upsert flag other than true or false, or an If-None-Match other than *, answers 400', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/x?upsert=yes`, { json: { data: {} } }), 400, 'upsert');
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/x`, { json: { data: {} }, headers: { 'If-None-Match': '"1"' } }), 400, 'If-None-Match');
    assert.is((await call(ctx, 'GET', `${docs(c)}/x`)).status, 404);
  });

  test('PATCH or DELETE with If-None-Match answers 400 naming it, and nothing changes', async (ctx) => {
    const c = uniqueCollection();
    const created = await call(ctx, 'POST', docs(c), { json: { id: 'd', data: { n: 1 } } });
    for (const tag of ['*', '"1"', '"2"']) {
      const headers = { 'If-None-Match': tag };
      assertProblem(await call(ctx, 'PATCH', `${docs(c)}/d`, { json: { $inc: { n: 1 } }, headers }), 400, 'If-None-Match');
      assertProblem(await call(ctx, 'DELETE', `${docs(c)}/d`, { headers }), 400, 'If-None-Match');
    }
    assert.equal((await call(ctx, 'GET', `${docs(c)}/d`)).body, created.body);
  });

  test('PUT ?upsert=true with If-Match: * creates nothing: an absent document stays absent (404)', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/x?upsert=true`, { json: { data: {} }, headers: { 'If-Match': '*' } }), 404);
    assert.is((await call(ctx, 'GET', `${docs(c)}/x`)).status, 404);
  });

  test('PUT ?upsert=true with If-Match: * replaces a document that exists (200)', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'x', data: { n: 1 } });
    const reply = await call(ctx, 'PUT', `${docs(c)}/x?upsert=true`, { json: { data: { n: 2 } }, headers: { 'If-Match': '*' } });
    assert.is(reply.status, 200, reply.text);
    assert.equal(reply.body.data, { n: 2 });
  });

  test('PUT with If-Match: * and If-None-Match: * answers 400, as they contradict each other', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/x`, { json: { data: {} }, headers: { 'If-Match': '*', 'If-None-Match': '*' } }), 400, 'If-Match');
    assert.is((await call(ctx, 'GET', `${docs(c)}/x`)).status, 404);
  });

  test('PUT with the upsert flag given twice answers 400 naming it, and creates nothing', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/x?upsert=true&upsert=false`, { json: { data: {} } }), 400, 'query.upsert');
    assert.is((await call(ctx, 'GET', `${docs(c)}/x`)).status, 404);
  });

  test('30 concurrent upserts of an absent id: one creates (201), the rest replace (200), versions 1..30', async (ctx) => {
    const c = uniqueCollection();
    const replies = await Promise.all(range30().map((i) => call(ctx, 'PUT', `${docs(c)}/race?upsert=true`, { json: { data: { i } } })));
    const statuses = replies.map((r) => r.status);
    assert.is(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.is(statuses.filter((s) => s === 200).length, 29, statuses.join(','));
    assert.equal(replies.map((r) => r.body.version).sort((a, b) => a - b), range30().map((i) => i + 1));
  });

  test('30 concurrent If-Match updates of one document: exactly one wins, the rest get 412', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'race', data: { n: 0 } });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(ctx, 'PUT', `${docs(c)}/race`, { json: { data: { n: i } }, headers: { 'If-Match': '"1"' } })),
    );
    const statuses = replies.map((r) => r.status).sort();
    assert.is(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.is(statuses.filter((s) => s === 412).length, 29, statuses.join(','));
    assert.is((await call(ctx, 'GET', `${docs(c)}/race`)).body.version, 2);
  });

  test('30 concurrent unconditional updates all succeed and the version ends at 31', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'inc', data: {} });
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => call(ctx, 'PUT', `${docs(c)}/inc`, { json: { data: { n: i } } })));
    assert.equal(replies.map((r) => r.status), Array(30).fill(200));
    assert.equal(replies.map((r) => r.body.version).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 2));
    assert.is((await call(ctx, 'GET', `${docs(c)}/inc`)).body.version, 31);
  });

  test('30 concurrent merge patches of distinct keys lose none of them', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'merge', data: {} });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(ctx, 'PATCH', `${docs(c)}/merge`, { body: JSON.stringify({ [`k${i}`]: i }), headers: { 'content-type': 'application/merge-patch+json' } }),
      ),
    );
    assert.ok(replies.every((r) => r.status === 200), replies.map((r) => r.status).join(','));
    const final = (await call(ctx, 'GET', `${docs(c)}/merge`)).body;
    assert.is(final.version, 31);
    assert.is(Object.keys(final.data).length, 30);
  });

  const bulk = (ctx: { stack: Stack }, c: string, op: 'create' | 'update' | 'delete', body: unknown, headers?: Record<string, string>) =>
    call(ctx, 'POST', `/v1/collections/${c}/bulk/${op}`, { json: body, ...(headers ? { headers } : {}) });

  test('bulk create answers each item as a create alone would, in order', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'taken', data: {} });
    const reply = await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: { n: 1 } }, { data: { n: 2 } }, { id: 'taken', data: {} }, { id: '-bad', data: {} }], ordered: false });
    assert.is(reply.status, 200, reply.text);
    const [a, generated, taken, bad] = reply.body.results;
    assert.equal(a, { status: 201, id: 'a', version: 1 });
    assert.is(generated.status, 201);
    assert.equal((await call(ctx, 'GET', `${docs(c)}/${generated.id}`)).body.data, { n: 2 });
    assert.is(taken.status, 409);
    assert.is(taken.problem.status, 409);
    assert.is(bad.status, 400);
    assert.ok(bad.problem.detail.includes('documents[3].id'), bad.problem.detail);
  });

  test('bulk create names the item whose data breaks a data rule', async (ctx) => {
    const c = uniqueCollection();
    const reply = await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: {} }, { id: 'b', data: { a: { 'b.c': 1 } } }], ordered: false });
    const [, bad] = reply.body.results;
    assert.is(bad.status, 400);
    assert.ok(bad.problem.detail.includes('documents[1].data.a'), bad.problem.detail);
    assert.equal(bad.problem.errors.map((e: { path: string }) => e.path), ['documents[1].data.a.b.c']);
  });

  test('an ordered bulk create stops at the first failure and reports the rest as 424, not attempted', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'taken', data: {} });
    const reply = await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: {} }, { id: 'taken', data: {} }, { id: 'b', data: {} }] });
    assert.equal(reply.body.results.map((r: { status: number }) => r.status), [201, 409, 424]);
    assert.is(reply.body.results[2].problem.status, 424);
    assert.is((await call(ctx, 'GET', `${docs(c)}/b`)).status, 404);
  });

  test('an ordered bulk create reports an invalid item after the first failure as 424, not as its own 400', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'taken', data: {} });
    const reply = await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: {} }, { id: 'taken', data: {} }, { id: '-bad', data: {} }] });
    assert.equal(reply.body.results.map((r: { status: number }) => r.status), [201, 409, 424]);
  });

  test('an ordered bulk create stops at an invalid item: the items before it are created, none after', async (ctx) => {
    const c = uniqueCollection();
    const reply = await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: {} }, { id: '-bad', data: {} }, { id: 'b', data: {} }] });
    assert.equal(reply.body.results.map((r: { status: number }) => r.status), [201, 400, 424]);
    assert.is((await call(ctx, 'GET', `${docs(c)}/a`)).status, 200);
    assert.is((await call(ctx, 'GET', `${docs(c)}/b`)).status, 404);
  });

  test('a bulk create retried with the same Idempotency-Key replays the same results and creates nothing more', async (ctx) => {
    const c = uniqueCollection();
    const body = { documents: [{ data: { n: 1 } }, { data: { n: 2 } }] };
    const first = await bulk(ctx, c, 'create', body, { 'Idempotency-Key': 'bulk-1' });
    const again = await bulk(ctx, c, 'create', body, { 'Idempotency-Key': 'bulk-1' });
    assert.equal(again.body, first.body);
    assert.is((await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: {} })).body.count, 2);
    const other = await bulk(ctx, c, 'create', { documents: [{ data: { n: 3 } }] }, { 'Idempotency-Key': 'bulk-1' });
    assert.is(other.body.results[0].status, 409);
  });

  test('an unordered bulk create with an Idempotency-Key creates the first of the items that repeat an id; the later one is 409', async (ctx) => {
    const c = uniqueCollection();
    const ids = Array.from({ length: 10 }, (_, i) => `r${i}`);
    const documents = ids.flatMap((id) => [{ id, data: { first: true } }, { id, data: { first: false } }]);
    const reply = await bulk(ctx, c, 'create', { documents, ordered: false }, { 'Idempotency-Key': `repeats-${c}` });
    assert.equal(reply.body.results.map((result: { status: number }) => result.status), ids.flatMap(() => [201, 409]));
    const stored = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { filter: { first: true } } });
    assert.is(stored.body.documents.length, ids.length);
  });

  test("a single create's Idempotency-Key never meets the claim of a bulk create's item", async (ctx) => {
    const c = uniqueCollection();
    const key = `shared-${c}`;
    assert.is((await bulk(ctx, c, 'create', { documents: [{ data: { n: 1 } }] }, { 'Idempotency-Key': key })).body.results[0].status, 201);
    const single = await create(ctx, c, { data: { n: 2 } }, { 'Idempotency-Key': `${key}#0` });
    assert.is(single.status, 201, single.text);
    assert.is((await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: {} })).body.count, 2);
  });

  test('a bulk create with no documents, or more than 1,000, answers 400', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await bulk(ctx, c, 'create', { documents: [] }), 400, 'documents');
    assertProblem(await bulk(ctx, c, 'create', { documents: Array.from({ length: 1001 }, () => ({ data: {} })) }), 400, 'documents');
  });

  test('bulk update applies the operators to the matching documents, each to its own new version', async (ctx) => {
    const c = uniqueCollection();
    await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: { team: 'x', n: 1 } }, { id: 'b', data: { team: 'x', n: 5 } }, { id: 'c', data: { team: 'y', n: 1 } }] });
    assert.is((await call(ctx, 'GET', `${docs(c)}/b`)).body.version, 1); // a cache, when there is one, now holds b
    const reply = await bulk(ctx, c, 'update', { filter: { team: 'x' }, update: { $inc: { n: 10 } } });
    assert.is(reply.status, 200, reply.text);
    assert.equal(reply.body, { matched: 2, modified: 2 });
    const b = (await call(ctx, 'GET', `${docs(c)}/b`)).body;
    assert.equal([b.version, b.data.n], [2, 15]);
    assert.is((await call(ctx, 'GET', `${docs(c)}/c`)).body.version, 1);
  });

  test('bulk update counts as modified only the documents it changed, and stops at limit', async (ctx) => {
    const c = uniqueCollection();
    await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: { s: 1 } }, { id: 'b', data: { s: 2 } }, { id: 'c', data: { s: 2 } }] });
    assert.equal((await bulk(ctx, c, 'update', { filter: {}, update: { $set: { s: 2 } } })).body, { matched: 3, modified: 1 });
    assert.equal((await bulk(ctx, c, 'update', { filter: {}, update: { $inc: { s: 1 } }, limit: 2 })).body, { matched: 2, modified: 2 });
    assert.is((await call(ctx, 'GET', `${docs(c)}/c`)).body.data.s, 2);
  });

  test('bulk update with invalid operators answers 400 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'a', data: { n: 1 } });
    assertProblem(await bulk(ctx, c, 'update', { filter: {}, update: { n: 2 } }), 400);
    assertProblem(await bulk(ctx, c, 'update', { filter: { $where: '1' }, update: { $inc: { n: 1 } } }), 400, '$where');
    assert.is((await call(ctx, 'GET', `${docs(c)}/a`)).body.version, 1);
  });

  test('bulk update stopped by a document it cannot change names that document and how many were changed before it', async (ctx) => {
    const c = uniqueCollection();
    await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: { n: 1 } }, { id: 'b', data: { n: 'text' } }, { id: 'c', data: { n: 1 } }] });
    const reply = await bulk(ctx, c, 'update', { filter: {}, update: { $inc: { n: 1 } } });
    assertProblem(reply, 400, "document 'b' (1 changed before it)");
    assert.is((await call(ctx, 'GET', `${docs(c)}/a`)).body.data.n, 2);
    assert.is((await call(ctx, 'GET', `${docs(c)}/c`)).body.data.n, 1);
  });

  test('bulk delete deletes the matching documents, at most limit', async (ctx) => {
    const c = uniqueCollection();
    await bulk(ctx, c, 'create', { documents: [{ id: 'a', data: { old: true } }, { id: 'b', data: { old: true } }, { id: 'c', data: { old: false } }] });
    assert.equal((await bulk(ctx, c, 'delete', { filter: { old: true }, limit: 1 })).body, { deleted: 1 });
    assert.equal((await bulk(ctx, c, 'delete', { filter: { old: true } })).body, { deleted: 1 });
    assert.is((await call(ctx, 'GET', `${docs(c)}/c`)).status, 200);
    assert.is((await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: {} })).body.count, 1);
    assert.is((await create(ctx, c, { id: 'a', data: {} })).headers.get('etag'), '"3"');
  });

  test('bulk update and delete on an indexed field change exactly the matching documents', async (ctx) => {
    const c = uniqueCollection();
    await call(ctx, 'PUT', `/v1/collections/${c}/indexes/by_team`, { json: { keys: { team: 1 } } });
    await bulk(ctx, c, 'create', { documents: Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, data: { team: i % 5 } })) });
    assert.equal((await bulk(ctx, c, 'update', { filter: { team: 3 }, update: { $set: { hit: true } } })).body, { matched: 10, modified: 10 });
    assert.equal((await bulk(ctx, c, 'delete', { filter: { team: 3 } })).body, { deleted: 10 });
    assert.is((await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: { filter: { hit: true } } })).body.count, 0);
  });

  test('DELETE answers 204 and the document is gone', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'd', data: {} });
    const reply = await call(ctx, 'DELETE', `${docs(c)}/d`);
    assert.is(reply.status, 204);
    assert.is(reply.text, '');
    assert.is((await call(ctx, 'GET', `${docs(c)}/d`)).status, 404);
  });

  test('DELETE with a stale If-Match answers 412 and the document stays', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'd', data: {} });
    assertProblem(await call(ctx, 'DELETE', `${docs(c)}/d`, { headers: { 'If-Match': '"2"' } }), 412);
    assert.is((await call(ctx, 'GET', `${docs(c)}/d`)).status, 200);
    assert.is((await call(ctx, 'DELETE', `${docs(c)}/d`, { headers: { 'If-Match': '"1"' } })).status, 204);
  });

  test('a re-created document continues after its tombstone: ETag "3" after create, delete, create', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'again', data: { incarnation: 'A' } });
    assert.is((await call(ctx, 'DELETE', `${docs(c)}/again`)).status, 204);
    const recreated = await create(ctx, c, { id: 'again', data: { incarnation: 'B' } });
    assert.is(recreated.status, 201);
    assert.is(recreated.headers.get('etag'), '"3"');
    const got = await call(ctx, 'GET', `${docs(c)}/again`);
    assert.is(got.headers.get('etag'), '"3"');
    assert.equal(got.body.data, { incarnation: 'B' });
  });

  test('an If-Match from an earlier incarnation answers 412 on PUT, PATCH and DELETE, and the new one stays', async (ctx) => {
    const c = uniqueCollection();
    const first = await create(ctx, c, { id: 'k', data: { incarnation: 'A' } });
    const staleTag = first.headers.get('etag')!;
    await call(ctx, 'DELETE', `${docs(c)}/k`);
    await create(ctx, c, { id: 'k', data: { incarnation: 'B' } });
    const ifMatch = { 'If-Match': staleTag };
    assertProblem(await call(ctx, 'PUT', `${docs(c)}/k`, { json: { data: { incarnation: 'A2' } }, headers: ifMatch }), 412);
    assertProblem(
      await call(ctx, 'PATCH', `${docs(c)}/k`, {
        body: JSON.stringify({ incarnation: 'A2' }),
        headers: { ...ifMatch, 'Content-Type': 'application/merge-patch+json' },
      }),
      412,
    );
    assertProblem(await call(ctx, 'DELETE', `${docs(c)}/k`, { headers: ifMatch }), 412);
    const got = await call(ctx, 'GET', `${docs(c)}/k`);
    assert.equal(got.body.data, { incarnation: 'B' });
    assert.is(got.headers.get('etag'), '"3"');
  });

  test('DELETE of a missing document answers 404', async (ctx) => {
    assertProblem(await call(ctx, 'DELETE', `${docs(uniqueCollection())}/ghost`), 404);
  });

  test('query filters, sorts with an id tie-break and limits', async (ctx) => {
    const c = uniqueCollection();
    const people = [
      { id: 'a', data: { name: 'Ada', age: 36, tags: ['math'] } },
      { id: 'b', data: { name: 'Bob', age: 25, tags: ['art', 'math'] } },
      { id: 'c', data: { name: 'Cy', age: 36 } },
      { id: 'd', data: { name: 'Di', age: 17, tags: ['math'] } },
    ];
    for (const p of people) await create(ctx, c, p);
    const reply = await call(ctx, 'POST', `/v1/collections/${c}/query`, {
      json: { filter: { tags: 'math', age: { $gte: 18 } }, sort: { age: -1 }, limit: 10 },
    });
    assert.is(reply.status, 200);
    assert.equal(reply.body.documents.map((d: { id: string }) => d.id), ['a', 'b']);
    assert.is(reply.body.nextCursor, null);
    const tie = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { filter: { age: 36 }, sort: { age: 1 } } });
    assert.equal(tie.body.documents.map((d: { id: string }) => d.id), ['a', 'c']);
  });

  test('query projects the requested fields', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: { a: 1, b: { c: 2, d: 3 } } });
    const reply = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { fields: ['b.c'] } });
    assert.equal(reply.body.documents[0].data, { b: { c: 2 } });
    assert.is(reply.body.documents[0].version, 1);
  });

  test('a query with an empty fields list answers whole documents, as MongoDB reads an empty projection', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'p', data: { a: 1, b: { c: 2 } } });
    const reply = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { fields: [] } });
    assert.equal(reply.body.documents[0].data, { a: 1, b: { c: 2 } });
  });

  test('a query operator outside the allowlist answers 400 naming it', async (ctx) => {
    const reply = await call(ctx, 'POST', `/v1/collections/${uniqueCollection()}/query`, { json: { filter: { $where: 'sleep(1000)' } } });
    assertProblem(reply, 400, '$where');
  });

  test('a query limit outside 1..1000 answers 400', async (ctx) => {
    assertProblem(await call(ctx, 'POST', `/v1/collections/${uniqueCollection()}/query`, { json: { limit: 1001 } }), 400, 'limit');
  });

  test('a cursor that was not issued answers 400', async (ctx) => {
    assertProblem(await call(ctx, 'POST', `/v1/collections/${uniqueCollection()}/query`, { json: { cursor: 'garbage' } }), 400, 'cursor');
  });

  test('cursor paging is complete and in order while documents are inserted mid-way', async (ctx) => {
    const c = uniqueCollection();
    const ids = Array.from({ length: 25 }, (_, i) => `doc-${String(i).padStart(2, '0')}`);
    for (const id of ids) await create(ctx, c, { id, data: { rank: Number(id.slice(4)) % 7 } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const reply: Reply = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { sort: { rank: 1 }, limit: 4, cursor } });
      assert.is(reply.status, 200, reply.text);
      seen.push(...reply.body.documents.map((d: { id: string }) => d.id));
      cursor = reply.body.nextCursor;
      // Documents arriving during the walk: one sorts before the walk's position, one after it.
      if (page++ === 2) {
        await create(ctx, c, { id: 'late-low', data: { rank: -1 } });
        await create(ctx, c, { id: 'late-high', data: { rank: 99 } });
      }
    } while (cursor);
    const original = seen.filter((id) => id.startsWith('doc-'));
    assert.is(new Set(seen).size, seen.length, 'no document twice');
    assert.equal([...original].sort(), ids, 'every document that existed at the start');
    const expectedOrder = [...ids].sort((x, y) => (Number(x.slice(4)) % 7) - (Number(y.slice(4)) % 7) || (x < y ? -1 : 1));
    assert.equal(original, expectedOrder);
    assert.ok(seen.includes('late-high'), 'a document inserted ahead of the position is still reached');
    assert.not.ok(seen.includes('late-low'), 'a document inserted behind the position is not');
  });

  test('an unknown route answers 404 problem+json', async (ctx) => {
    assertProblem(await call(ctx, 'GET', '/v2/nothing'), 404, '/v2/nothing');
  });

  // --- indexes, count, explain ------------------------------------------------------------------------------

  const indexes = (collection: string) => `/v1/collections/${collection}/indexes`;
  const byCity = { keys: { city: 1, age: -1 } };

  test('PUT of an index answers 201 with its definition, 200 when the same exists, and GET lists it', async (ctx) => {
    const c = uniqueCollection();
    const created = await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: byCity });
    assert.is(created.status, 201, created.text);
    assert.equal(created.body, { name: 'by_city', keys: { city: 1, age: -1 }, unique: false });
    assert.is((await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: byCity })).status, 200);
    assert.equal((await call(ctx, 'GET', indexes(c))).body, { indexes: [created.body] });
  });

  test('PUT of an index name with another definition answers 409 and changes nothing', async (ctx) => {
    const c = uniqueCollection();
    await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: byCity });
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: { keys: { city: 1 } } }), 409, 'by_city');
    assert.equal((await call(ctx, 'GET', indexes(c))).body.indexes[0].keys, { city: 1, age: -1 });
  });

  test('DELETE of an index answers 204, then 404 once it is gone', async (ctx) => {
    const c = uniqueCollection();
    await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: byCity });
    assert.is((await call(ctx, 'DELETE', `${indexes(c)}/by_city`)).status, 204);
    assertProblem(await call(ctx, 'DELETE', `${indexes(c)}/by_city`), 404, 'by_city');
    assert.equal((await call(ctx, 'GET', indexes(c))).body, { indexes: [] });
  });

  test('bad index names, keys and directions answer 400 naming what is wrong', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/9bad`, { json: byCity }), 400, 'name');
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/ix`, { json: { keys: {} } }), 400, 'keys');
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/ix`, { json: { keys: { $where: 1 } } }), 400, '$where');
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/ix`, { json: { keys: { city: 2 } } }), 400, 'keys.city');
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/ix`, { json: { keys: { city: 1 }, sparse: true } }), 400, 'sparse');
    assert.equal((await call(ctx, 'GET', indexes(c))).body, { indexes: [] });
  });

  test('a collection holds at most 32 indexes: the 33rd answers 400', async (ctx) => {
    const c = uniqueCollection();
    for (let i = 0; i < 32; i++) assert.is((await call(ctx, 'PUT', `${indexes(c)}/ix${i}`, { json: { keys: { [`f${i}`]: 1 } } })).status, 201);
    assertProblem(await call(ctx, 'PUT', `${indexes(c)}/ix32`, { json: { keys: { f32: 1 } } }), 400, '32');
  });

  test('a create that would break a unique index answers 409 duplicate-key naming the index, and nothing is stored', async (ctx) => {
    const c = uniqueCollection();
    await call(ctx, 'PUT', `${indexes(c)}/by_email`, { json: { keys: { email: 1 }, unique: true } });
    await create(ctx, c, { id: 'ada', data: { email: 'ada@example.com' } });
    const refused = await create(ctx, c, { id: 'eve', data: { email: 'ada@example.com' } });
    assertProblem(refused, 409);
    assert.is(refused.body.type, 'urn:dbsvc:problem:duplicate-key');
    assert.is((await call(ctx, 'GET', `${docs(c)}/eve`)).status, 404);
  });

  test('a unique index over documents that share a key answers 409 duplicate-key and is not created', async (ctx) => {
    const c = uniqueCollection();
    await create(ctx, c, { id: 'a', data: { email: 'same' } });
    await create(ctx, c, { id: 'b', data: { email: 'same' } });
    const refused = await call(ctx, 'PUT', `${indexes(c)}/by_email`, { json: { keys: { email: 1 }, unique: true } });
    assertProblem(refused, 409);
    assert.is(refused.body.type, 'urn:dbsvc:problem:duplicate-key');
    assert.equal((await call(ctx, 'GET', indexes(c))).body, { indexes: [] });
  });

  test('count answers how many documents match, with or without a filter', async (ctx) => {
    const c = uniqueCollection();
    for (const [id, city] of [['a', 'Oslo'], ['b', 'Rome'], ['d', 'Oslo']]) await create(ctx, c, { id, data: { city } });
    assert.equal((await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: { filter: { city: 'Oslo' } } })).body, { count: 2 });
    assert.equal((await call(ctx, 'POST', `/v1/collections/${c}/count`)).body, { count: 3 });
    assertProblem(await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: { filter: { $where: 'x' } } }), 400, '$where');
  });

  test('explain answers the plan: the index chosen, keys and documents examined, returned, duration', async (ctx) => {
    const c = uniqueCollection();
    for (let i = 0; i < 6; i++) await create(ctx, c, { id: `p${i}`, data: { city: i % 2 ? 'Oslo' : 'Rome', age: i } });
    await call(ctx, 'PUT', `${indexes(c)}/by_city`, { json: byCity });
    const reply = await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { filter: { city: 'Oslo' }, sort: { age: -1 }, limit: 2, explain: true } });
    assert.is(reply.status, 200, reply.text);
    const { plan } = reply.body;
    assert.is(plan.index, 'by_city');
    assert.is(plan.returned, 2);
    assert.ok(plan.documentsExamined >= 2 && plan.documentsExamined <= 3, `examined ${plan.documentsExamined} documents for 2`);
    assert.type(plan.keysExamined, 'number');
    assert.type(plan.durationMs, 'number');
  });

  test('a maxTimeMs that is not an integer from 1 to QUERY_MAX_TIME_MS answers 400 naming it', async (ctx) => {
    const c = uniqueCollection();
    assertProblem(await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { maxTimeMs: 0 } }), 400, 'maxTimeMs');
    assertProblem(await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { maxTimeMs: 2001 } }), 400, 'maxTimeMs');
    assertProblem(await call(ctx, 'POST', `/v1/collections/${c}/count`, { json: { maxTimeMs: 1.5 } }), 400, 'maxTimeMs');
    assert.is((await call(ctx, 'POST', `/v1/collections/${c}/query`, { json: { maxTimeMs: 2000 } })).status, 200);
  });

  test('health, readiness and metrics answer for the whole stack', async (ctx) => {
    assert.is((await call(ctx, 'GET', '/healthz')).status, 200);
    const ready = await call(ctx, 'GET', '/readyz');
    assert.is(ready.status, 200);
    assert.equal(Object.keys(ready.body.functions).sort(), [...FUNCTION_NAMES].sort());
    const metrics = await call(ctx, 'GET', '/metrics');
    assert.is(metrics.status, 200);
    for (const fn of FUNCTION_NAMES) {
      assert.match(metrics.text, new RegExp(`http_requests_total\\{[^}]*function="${fn}"`));
    }
    assert.is(metrics.text.match(/^# TYPE http_requests_total /gm)?.length, 1);
  });

  test.run();
}

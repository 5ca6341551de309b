import { suite } from 'uvu';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import * as assert from 'uvu/assert';
import { rawExchange, request, uniqueCollection, type Reply } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Input built to hurt: prototype pollution through every JSON entry point, regular expressions that make a
 * backtracking engine run for minutes, and the rule that anything refused is refused before the store is
 * touched. Against the started stack, over real HTTP.
 */
const test = suite<{ stack: Stack & { removeData: () => void } }>('hostile input');

test.before(async (ctx) => {
  ctx.stack = await startStack();
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

const docs = (c: string) => `/v1/collections/${c}/documents`;
const queryPath = (c: string) => `/v1/collections/${c}/query`;
const raw = (stack: Stack, method: string, path: string, body: string, contentType = 'application/json') =>
  request(stack.url, method, path, { body, headers: { 'content-type': contentType } });

function assert400(reply: Reply, mentions: string): void {
  assert.is(reply.status, 400, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.ok(reply.text.includes(mentions), `${reply.text} should mention ${mentions}`);
}

/** The sum of db_operations_total over every function of the stack. */
async function storeOperations(stack: Stack): Promise<number> {
  const text = (await request(stack.url, 'GET', '/metrics')).text;
  let sum = 0;
  for (const match of text.matchAll(/^db_operations_total\{[^}]*\} (\S+)$/gm)) sum += Number(match[1]);
  return sum;
}

test('with AUTH_MODE=none the stack banner and every function warn that authentication is off', async ({ stack }) => {
  // The gateway answers ready a moment before it prints its banner: wait for the banner itself.
  const deadline = Date.now() + 10_000;
  while (!stack.process.output().includes('!!! WARNING') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const output = stack.process.output();
  assert.match(output, /!!! WARNING: AUTH_MODE=none: authentication is OFF/);
  const functionWarnings = output.split('\n').filter((line) => line.includes('"level":"warn"') && line.includes('authentication is OFF'));
  assert.equal(functionWarnings.map((line) => JSON.parse(line).function).sort(), [...FUNCTION_NAMES].sort());
});

// --- prototype pollution ---------------------------------------------------------------------------------

test('a __proto__ key in data answers 400 naming it, also when its name is escaped, and stores nothing', async ({ stack }) => {
  const c = uniqueCollection();
  assert400(await raw(stack, 'POST', docs(c), '{"id":"p1","data":{"__proto__":{"polluted":true}}}'), '__proto__');
  assert400(await raw(stack, 'POST', docs(c), '{"id":"p1","data":{"a":{"\\u005f_proto__":{"polluted":true}}}}'), '__proto__');
  assert.is((await request(stack.url, 'GET', `${docs(c)}/p1`)).status, 404);
});

test('constructor and prototype keys in data answer 400 naming them', async ({ stack }) => {
  const c = uniqueCollection();
  assert400(await raw(stack, 'POST', docs(c), '{"data":{"constructor":{"prototype":{"polluted":true}}}}'), 'constructor');
  assert400(await raw(stack, 'POST', docs(c), '{"data":{"a":{"prototype":1}}}'), 'prototype');
});

test('a __proto__ key at the top of a body answers 400', async ({ stack }) => {
  const c = uniqueCollection();
  assert400(await raw(stack, 'POST', docs(c), '{"__proto__":{"id":"x"},"data":{}}'), '__proto__');
  assert400(await raw(stack, 'POST', queryPath(c), '{"__proto__":{"limit":5}}'), '__proto__');
});

test('a merge patch or replacement carrying __proto__ or constructor answers 400 and the document is unchanged', async ({ stack }) => {
  const c = uniqueCollection();
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { keep: 1 } } });
  assert.is(created.status, 201);
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '{"__proto__":{"polluted":true}}', 'application/merge-patch+json'), '__proto__');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '{"constructor":{"prototype":{"polluted":true}}}', 'application/merge-patch+json'), 'constructor');
  assert400(await raw(stack, 'PUT', `${docs(c)}/d`, '{"data":{"__proto__":{"polluted":true}}}'), '__proto__');
  const after = await request(stack.url, 'GET', `${docs(c)}/d`);
  assert.is(after.text, created.text);
});

test('filters, sorts and projections that reach for the prototype answer 400', async ({ stack }) => {
  const c = uniqueCollection();
  assert400(await raw(stack, 'POST', queryPath(c), '{"filter":{"__proto__":{"polluted":true}}}'), '__proto__');
  assert400(await raw(stack, 'POST', queryPath(c), '{"filter":{"a.__proto__.polluted":true}}'), '__proto__');
  assert400(await raw(stack, 'POST', queryPath(c), '{"filter":{"$or":[{"constructor.prototype":1}]}}'), 'constructor');
  assert400(await raw(stack, 'POST', queryPath(c), '{"sort":{"__proto__":1}}'), '__proto__');
  assert400(await raw(stack, 'POST', queryPath(c), '{"sort":{"constructor":1}}'), 'constructor');
  assert400(await raw(stack, 'POST', queryPath(c), '{"fields":["constructor.prototype"]}'), 'constructor');
  assert400(await raw(stack, 'POST', queryPath(c), '{"filter":{"a":{"$in":[{"__proto__":1}]}}}'), '__proto__');
});

test('after every pollution attempt, new documents and queries show no inherited property', async ({ stack }) => {
  const c = uniqueCollection();
  await raw(stack, 'POST', docs(c), '{"data":{"__proto__":{"polluted":true}}}');
  await raw(stack, 'POST', queryPath(c), '{"filter":{"__proto__":{"polluted":true}}}');
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'clean', data: {} } });
  assert.is(created.status, 201);
  assert.is(JSON.stringify(created.body.data), '{}');
  const polluted = await request(stack.url, 'POST', queryPath(c), { json: { filter: { polluted: true } } });
  assert.equal(polluted.body.documents, []);
  const everything = await request(stack.url, 'POST', queryPath(c), { json: {} });
  assert.equal(everything.body.documents.map((d: { id: string }) => d.id), ['clean']);
});

// --- regular expressions ---------------------------------------------------------------------------------

test('catastrophic $regex patterns over a 200,000-character string complete, and the next request is served', async ({ stack }) => {
  const c = uniqueCollection();
  const long = `${'a'.repeat(200_000)}!`;
  assert.is((await request(stack.url, 'POST', docs(c), { json: { id: 'long', data: { s: long } } })).status, 201);
  for (const pattern of ['(a+)+$', '(a|a)*b', '(a|aa)+$', 'a*a*a*a*a*x', '(.*a){20}x', '^(\\w+\\s?)*$']) {
    const reply = await request(stack.url, 'POST', queryPath(c), { json: { filter: { s: { $regex: pattern } }, fields: ['none'] } });
    assert.is(reply.status, 200, `${pattern}: ${reply.text}`);
    assert.equal(reply.body.documents, [], pattern);
  }
  const matching = await request(stack.url, 'POST', queryPath(c), { json: { filter: { s: { $regex: '^(a+)+!$' } }, fields: ['none'] } });
  assert.equal(matching.body.documents.map((d: { id: string }) => d.id), ['long']);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/long`)).status, 200);
});

test('$regex constructs a linear-time engine cannot run answer 400 naming the pattern', async ({ stack }) => {
  const c = uniqueCollection();
  for (const pattern of ['(?=a)a', '(?!a)b', '(?<=a)b', '(a)\\1', 'a{1001}', '((a{100}){100}){100}']) {
    assert400(await request(stack.url, 'POST', queryPath(c), { json: { filter: { s: { $regex: pattern } } } }), 'filter.s.$regex');
  }
});

test('update operators or a JSON Patch that would write __proto__ or constructor answer 400 and the document is unchanged', async ({ stack }) => {
  const c = uniqueCollection();
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { keep: 1, a: {} } } });
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '{"$set":{"__proto__.polluted":true}}'), '__proto__');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '{"$set":{"a.constructor.prototype":1}}'), 'constructor');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '{"$rename":{"keep":"$where"}}'), '$where');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '[{"op":"add","path":"/__proto__/polluted","value":true}]', 'application/json-patch+json'), '__proto__');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, '[{"op":"add","path":"/a/constructor","value":1}]', 'application/json-patch+json'), 'constructor');
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/d`)).text, created.text);
});

test('an update whose result breaks the data rules answers 400 or 413 and the document is unchanged', async ({ stack }) => {
  const c = uniqueCollection();
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { s: 'x'.repeat(600_000) } } });
  const deepValue = `${'{"a":'.repeat(32)}1${'}'.repeat(32)}`;
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, `{"$set":{"a":${deepValue}}}`), 'depth');
  const wide = [{ op: 'copy', from: '/s', path: '/t' }];
  assert.is((await raw(stack, 'PATCH', `${docs(c)}/d`, JSON.stringify(wide), 'application/json-patch+json')).status, 413);
  assert.is((await raw(stack, 'PATCH', `${docs(c)}/d`, JSON.stringify({ $push: { l: { $each: ['x'.repeat(500_000)] } } }))).status, 413);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/d`)).text, created.text);
});

test('text holding an unpaired surrogate answers 400 naming its path on every write, and nothing changes', async ({ stack }) => {
  const c = uniqueCollection();
  const lone = '"x\\ud800y"';
  assert400(await raw(stack, 'POST', docs(c), `{"id":"s","data":{"a":${lone}}}`), 'data.a');
  assert.is((await request(stack.url, 'GET', `${docs(c)}/s`)).status, 404);
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { a: 'ok' } } });
  assert400(await raw(stack, 'PUT', `${docs(c)}/d`, `{"data":{"b":[${lone}]}}`), 'data.b[0]');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, `{"$set":{"a":${lone}}}`), 'surrogate');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, `{"k\\udc00":1}`, 'application/merge-patch+json'), 'surrogate');
  assert400(await raw(stack, 'PATCH', `${docs(c)}/d`, `[{"op":"add","path":"/a","value":${lone}}]`, 'application/json-patch+json'), 'surrogate');
  const bulk = await raw(stack, 'POST', `/v1/collections/${c}/bulk/create`, `{"documents":[{"id":"b","data":{"a":${lone}}}]}`);
  assert.is(bulk.body.results[0].status, 400);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/d`)).text, created.text);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/b`)).status, 404);
});

test('a filter holding an unpaired surrogate answers 400 naming its path on query, count and bulk changes, and nothing changes', async ({ stack }) => {
  const c = uniqueCollection();
  const created = await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { a: '\ufffd' } } });
  const filter = '{"a":"\\ud800"}';
  assert400(await raw(stack, 'POST', `/v1/collections/${c}/query`, `{"filter":${filter}}`), 'filter.a');
  assert400(await raw(stack, 'POST', `/v1/collections/${c}/count`, `{"filter":${filter}}`), 'filter.a');
  assert400(await raw(stack, 'POST', `/v1/collections/${c}/query`, '{"filter":{"a":{"$regex":"\\udc00"}}}'), 'filter.a.$regex');
  assert400(await raw(stack, 'POST', `/v1/collections/${c}/bulk/update`, `{"filter":${filter},"update":{"$set":{"b":1}}}`), 'surrogate');
  assert400(await raw(stack, 'POST', `/v1/collections/${c}/bulk/delete`, `{"filter":${filter}}`), 'surrogate');
  assert.is((await request(stack.url, 'GET', `${docs(c)}/d`)).text, created.text);
});

test('bulk bodies carrying __proto__, constructor or unknown members answer 400 and store nothing', async ({ stack }) => {
  const c = uniqueCollection();
  const bulk = (op: string) => `/v1/collections/${c}/bulk/${op}`;
  assert400(await raw(stack, 'POST', bulk('create'), '{"documents":[{"data":{}}],"__proto__":{"ordered":false}}'), '__proto__');
  assert400(await raw(stack, 'POST', bulk('update'), '{"filter":{},"update":{"$set":{"__proto__.x":1}}}'), '__proto__');
  assert400(await raw(stack, 'POST', bulk('update'), '{"filter":{},"update":{"$set":{"a":1}},"upsert":true}'), 'upsert');
  assert400(await raw(stack, 'POST', bulk('delete'), '{"filter":{"$where":"1"}}'), '$where');
  assert400(await raw(stack, 'POST', bulk('delete'), '{}'), 'filter');
  const items = await raw(stack, 'POST', bulk('create'), '{"documents":[{"id":"p","data":{"constructor":{"prototype":{"x":1}}}}]}');
  assert.is(items.status, 200);
  assert.is(items.body.results[0].status, 400);
  assert.is((await request(stack.url, 'GET', `${docs(c)}/p`)).status, 404);
});

test('a $regex longer than 512 characters answers 400', async ({ stack }) => {
  assert400(await request(stack.url, 'POST', queryPath(uniqueCollection()), { json: { filter: { s: { $regex: 'a'.repeat(513) } } } }), 'at most 512');
});

// --- long filters ----------------------------------------------------------------------------------------

/** A filter whose $in lists 2,000 values: a, b and c of `seedListed` hold one of them, d none. */
const longIn = { tag: { $in: Array.from({ length: 2000 }, (_, i) => `t${i}`) } };

async function seedListed(stack: Stack, c: string): Promise<void> {
  const documents = [
    { id: 'a', data: { tag: 't0' } },
    { id: 'b', data: { tag: 't1999' } },
    { id: 'c', data: { tag: ['x', 't7'] } },
    { id: 'd', data: { tag: 't2000' } },
  ];
  assert.is((await request(stack.url, 'POST', `/v1/collections/${c}/bulk/create`, { json: { documents } })).status, 200);
}

test('a query whose $in lists 2,000 values answers 200 with the matching documents', async ({ stack }) => {
  const c = uniqueCollection();
  await seedListed(stack, c);
  const reply = await request(stack.url, 'POST', queryPath(c), { json: { filter: longIn } });
  assert.is(reply.status, 200, reply.text);
  assert.equal(reply.body.documents.map((d: { id: string }) => d.id), ['a', 'b', 'c']);
});

test('count, bulk update and bulk delete whose $in lists 2,000 values answer 200 and act on the matching documents', async ({ stack }) => {
  const c = uniqueCollection();
  await seedListed(stack, c);
  const count = await request(stack.url, 'POST', `/v1/collections/${c}/count`, { json: { filter: longIn } });
  assert.equal([count.status, count.body], [200, { count: 3 }], count.text);
  const updated = await request(stack.url, 'POST', `/v1/collections/${c}/bulk/update`, { json: { filter: longIn, update: { $set: { seen: true } } } });
  assert.equal([updated.status, updated.body], [200, { matched: 3, modified: 3 }], updated.text);
  const deleted = await request(stack.url, 'POST', `/v1/collections/${c}/bulk/delete`, { json: { filter: longIn } });
  assert.equal([deleted.status, deleted.body], [200, { deleted: 3 }], deleted.text);
  const left = await request(stack.url, 'POST', queryPath(c), { json: {} });
  assert.equal(left.body.documents.map((d: { id: string }) => d.id), ['d']);
});

// --- media types and encodings ---------------------------------------------------------------------------

test('every body route answers 415 for another or a missing content type', async ({ stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: {} } });
  const cases: Array<[string, string]> = [
    ['POST', docs(c)],
    ['PUT', `${docs(c)}/d`],
    ['PATCH', `${docs(c)}/d`],
    ['POST', queryPath(c)],
  ];
  for (const [method, path] of cases) {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', method === 'PATCH' ? 'application/json-patch' : 'application/merge-patch+json']) {
      assert.is((await raw(stack, method, path, '{"data":{}}', type)).status, 415, `${method} ${path} ${type}`);
    }
    const untyped = await request(stack.url, method, path, { body: new TextEncoder().encode('{"data":{}}') });
    assert.is(untyped.status, 415, `${method} ${path} without a content type`);
  }
});

test('invalid UTF-8 and truncated or non-JSON bodies answer 400 on every body route', async ({ stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: {} } });
  const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0x64, 0x61, 0x74, 0x61, 0x22, 0x3a, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d, 0x7d]);
  for (const [method, path, type] of [
    ['POST', docs(c), 'application/json'],
    ['PUT', `${docs(c)}/d`, 'application/json'],
    ['PATCH', `${docs(c)}/d`, 'application/merge-patch+json'],
    ['POST', queryPath(c), 'application/json'],
  ] as const) {
    assert400(await request(stack.url, method, path, { body: invalidUtf8, headers: { 'content-type': type } }), 'UTF-8');
    assert400(await raw(stack, method, path, '{"data":{"a":', type), 'JSON');
    assert400(await raw(stack, method, path, "{'data':{}}", type), 'JSON');
  }
});

// --- what the HTTP parser refuses ----------------------------------------------------------------------

/** A request over `extra` bytes of one header, which Node's parser refuses past 16 KiB of headers in all. */
const bigHeaders = (path: string, extra: number) => `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(extra)}\r\n\r\n`;

test('headers over the limit answer 431 problem+json naming the limit, and the stack serves on', async ({ stack }) => {
  const reply = await rawExchange(stack.url, bigHeaders(`${docs(uniqueCollection())}/d`, 20_000));
  assert.is(reply.status, 431, reply.head);
  assert.match(reply.head, /\r\nContent-Type: application\/problem\+json\r\n/i);
  const problem = JSON.parse(reply.body);
  assert.equal([problem.type, problem.status], ['urn:dbsvc:problem:headers-too-large', 431]);
  assert.match(problem.detail, /headers are larger than 16384 bytes/);
  assert.is((await request(stack.url, 'GET', '/readyz')).status, 200);
});

test('a request without a Host header, or whose target is not a path, answers 400 problem+json saying why', async ({ stack }) => {
  for (const [text, why] of [
    [`GET ${docs(uniqueCollection())}/d HTTP/1.1\r\n\r\n`, 'Missing host header'],
    ['GET /healthz HTTP/1.1\r\n\r\n', 'Missing host header'],
    ['OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', 'Invalid URL'],
  ] as const) {
    const reply = await rawExchange(stack.url, text);
    assert.is(reply.status, 400, reply.head);
    assert.match(reply.head, /\r\nContent-Type: application\/problem\+json\r\n/i);
    assert.match(JSON.parse(reply.body).detail, `the request is not valid HTTP/1.1: ${why}`);
  }
});

test('a request that is not HTTP answers 400 problem+json', async ({ stack }) => {
  const reply = await rawExchange(stack.url, 'HELLO THERE\r\n\r\n');
  assert.is(reply.status, 400, reply.head);
  const problem = JSON.parse(reply.body);
  assert.equal([problem.type, problem.status, problem.detail], ['urn:dbsvc:problem:invalid-input', 400, 'the request is not valid HTTP/1.1']);
});

// --- limits before store work ----------------------------------------------------------------------------

test('requests that break a limit are refused before any store operation', async ({ stack }) => {
  const c = uniqueCollection();
  const deep = `{"data":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
  const before = await storeOperations(stack);
  const replies = await Promise.all([
    request(stack.url, 'GET', `${docs('9bad')}/x`),
    request(stack.url, 'GET', `${docs(`c${'x'.repeat(64)}`)}/x`),
    request(stack.url, 'GET', `${docs(c)}/${'x'.repeat(129)}`),
    request(stack.url, 'DELETE', `${docs(c)}/.hidden`),
    raw(stack, 'POST', docs(c), deep),
    raw(stack, 'POST', docs(c), '{"data":{"$set":1}}'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '{"$inc":{"n":"1"}}'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '{"$set":{"a":1},"$unset":{"a.b":""}}'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '{"$where":{"a":1}}'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '{"a":1}'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '[{"op":"move","path":"/a"}]', 'application/json-patch+json'),
    raw(stack, 'PATCH', `${docs(c)}/d`, '{"op":"add","path":"/a","value":1}', 'application/json-patch+json'),
    raw(stack, 'POST', `/v1/collections/${c}/bulk/create`, '{"documents":[]}'),
    raw(stack, 'POST', `/v1/collections/${c}/bulk/update`, '{"filter":{},"update":{"$inc":{"n":"x"}}}'),
    raw(stack, 'POST', `/v1/collections/${c}/bulk/update`, '{"filter":{},"update":{"$set":{"a":1}},"limit":0}'),
    raw(stack, 'POST', `/v1/collections/${c}/bulk/delete`, '{"filter":{"a":{"$expr":1}}}'),
    raw(stack, 'POST', docs(c), '{"data":{"a.b":1}}'),
    raw(stack, 'POST', docs(c), '{"data":{"a\\u0000b":1}}'),
    raw(stack, 'POST', docs(c), '{"id":"-x","data":{}}'),
    raw(stack, 'POST', docs(c), `{"data":{"s":"${'x'.repeat(1024 * 1024)}"}}`),
    request(stack.url, 'PUT', `${docs(c)}/d`, { json: { data: {} }, headers: { 'if-match': 'W/"1"' } }),
    raw(stack, 'POST', queryPath(c), '{"limit":1001}'),
    raw(stack, 'POST', queryPath(c), '{"limit":0}'),
    raw(stack, 'POST', queryPath(c), '{"filter":{"$where":"sleep(1000)"}}'),
    raw(stack, 'POST', queryPath(c), '{"filter":{"a":{"$expr":1}}}'),
    raw(stack, 'POST', queryPath(c), '{"filter":{"a":{"$regex":"(?=x)"}}}'),
    raw(stack, 'POST', queryPath(c), '{"cursor":"not-a-cursor"}'),
    raw(stack, 'POST', queryPath(c), `{"fields":${JSON.stringify(Array.from({ length: 300 }, (_, i) => `f${i}`))}}`),
    request(stack.url, 'POST', docs(c), { json: { data: {} }, headers: { 'idempotency-key': 'x'.repeat(256) } }),
  ]);
  for (const reply of replies) assert.ok(reply.status === 400 || reply.status === 413, `${reply.status} ${reply.text}`);
  assert.is(await storeOperations(stack), before);
});

test.run();

import { SignJWT } from 'jose';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentServiceApi, jsonToStruct, status } from '../support/grpc.js';
import { request, uniqueCollection, type Reply } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Every REST route and gRPC method under every kind of credential, against the started stack (each function
 * its own process, the sidecar in front): missing or bad credentials → 401 with a Bearer challenge
 * (UNAUTHENTICATED), a collection or operation the policy does not grant → 403 (PERMISSION_DENIED), and what
 * it grants → the route's success.
 */
const WRITER_KEY = 'writer-secret-0123456789abcdef';
const READER_KEY = 'reader-secret-0123456789abcdef';
const JWT_SECRET = 'jwt-test-secret-0123456789abcdefghijklmnop';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'dbsvc';

/** writer: everything on orders*; reader: read and query on orders only. */
const POLICY = JSON.stringify({ writer: { 'orders*': ['*'] }, reader: { orders: ['read', 'query'] } });

interface Route {
  readonly name: string;
  readonly operation: 'read' | 'write' | 'delete' | 'query';
  readonly success: number;
  /** Sends the route's request for `collection`, on a document `send` may assume exists. */
  send(stack: Stack, collection: string, id: string, headers: Record<string, string>): Promise<Reply>;
}

const docs = (c: string) => `/v1/collections/${c}/documents`;
const ROUTES: Route[] = [
  { name: 'create', operation: 'write', success: 201, send: (s, c, _id, headers) => request(s.url, 'POST', docs(c), { json: { data: { n: 1 } }, headers }) },
  { name: 'get', operation: 'read', success: 200, send: (s, c, id, headers) => request(s.url, 'GET', `${docs(c)}/${id}`, { headers }) },
  { name: 'replace', operation: 'write', success: 200, send: (s, c, id, headers) => request(s.url, 'PUT', `${docs(c)}/${id}`, { json: { data: { n: 2 } }, headers }) },
  {
    name: 'merge patch',
    operation: 'write',
    success: 200,
    send: (s, c, id, headers) =>
      request(s.url, 'PATCH', `${docs(c)}/${id}`, { body: '{"n":3}', headers: { 'content-type': 'application/merge-patch+json', ...headers } }),
  },
  { name: 'delete', operation: 'delete', success: 204, send: (s, c, id, headers) => request(s.url, 'DELETE', `${docs(c)}/${id}`, { headers }) },
  { name: 'query', operation: 'query', success: 200, send: (s, c, _id, headers) => request(s.url, 'POST', `/v1/collections/${c}/query`, { json: {}, headers }) },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Rpc {
  readonly name: string;
  readonly operation: Route['operation'];
  call(api: DocumentServiceApi, collection: string, id: string, metadata: Record<string, string>): Promise<unknown>;
}

const RPCS: Rpc[] = [
  { name: 'CreateDocument', operation: 'write', call: (api, c, _id, metadata) => api.create({ collection: c, data: jsonToStruct({ n: 1 }) }, { metadata }) },
  { name: 'GetDocument', operation: 'read', call: (api, c, id, metadata) => api.get({ collection: c, id }, { metadata }) },
  { name: 'UpdateDocument (data)', operation: 'write', call: (api, c, id, metadata) => api.update({ collection: c, id, data: jsonToStruct({ n: 2 }) }, { metadata }) },
  { name: 'UpdateDocument (merge_patch)', operation: 'write', call: (api, c, id, metadata) => api.update({ collection: c, id, merge_patch: jsonToStruct({ n: 3 }) }, { metadata }) },
  { name: 'DeleteDocument', operation: 'delete', call: (api, c, id, metadata) => api.delete({ collection: c, id }, { metadata }) },
  { name: 'QueryDocuments', operation: 'query', call: (api, c, _id, metadata) => api.query({ collection: c }, { metadata }) },
];

/** The gRPC status code a call ended with; 0 (OK) when it succeeded. */
async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return status.OK;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

/** Runs every RPC with `metadata` and asserts each ends with `expected(rpc)`. */
async function rpcMatrix(stack: Stack, metadata: Record<string, string>, collection: string, expected: (rpc: Rpc) => number, writer: Record<string, string>): Promise<void> {
  const api = new DocumentServiceApi(stack.grpcAddress);
  try {
    for (const rpc of RPCS) {
      const id = await seed(stack, collection === 'users' ? 'orders' : collection, writer);
      assert.is(status[await codeOf(rpc.call(api, collection, id, metadata))], status[expected(rpc)], rpc.name);
    }
  } finally {
    api.close();
  }
}

function assertUnauthenticated(reply: Reply, route: string, invalidToken: boolean): void {
  assert.is(reply.status, 401, `${route}: ${reply.text}`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const challenge = reply.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="dbsvc"/, route);
  if (invalidToken) assert.match(challenge, /error="invalid_token"/, route);
}

function assertForbidden(reply: Reply, route: string): void {
  assert.is(reply.status, 403, `${route}: ${reply.text}`);
  assert.is(reply.body.status, 403);
}

/** A fresh document in `collection` for routes that need one, created with credentials allowed to write. */
async function seed(stack: Stack, collection: string, headers: Record<string, string>): Promise<string> {
  const id = `d${Math.random().toString(36).slice(2, 10)}`;
  const created = await request(stack.url, 'POST', docs(collection), { json: { id, data: { n: 0 } }, headers });
  assert.is(created.status, 201, created.text);
  return id;
}

// --- API keys --------------------------------------------------------------------------------------------

const apikey = suite<{ stack: Stack & { removeData: () => void } }>('auth matrix: AUTH_MODE=apikey');

apikey.before(async (ctx) => {
  ctx.stack = await startStack({
    AUTH_MODE: 'apikey',
    API_KEYS: `writer:${WRITER_KEY}, reader:${READER_KEY}`,
    AUTH_POLICY: POLICY,
  });
});
apikey.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

apikey('every route answers 401 with a Bearer challenge when no credentials are sent', async ({ stack }) => {
  for (const route of ROUTES) assertUnauthenticated(await route.send(stack, 'orders', 'x', {}), route.name, false);
});

apikey('every route answers 401 invalid_token for a key that is not configured', async ({ stack }) => {
  for (const route of ROUTES) {
    assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer('wrong-secret-0123456789abcdef')), route.name, true);
  }
});

apikey('every route answers 401 for an Authorization header that is not a bearer token', async ({ stack }) => {
  for (const route of ROUTES) {
    assertUnauthenticated(await route.send(stack, 'orders', 'x', { authorization: `Basic ${btoa(`writer:${WRITER_KEY}`)}` }), route.name, false);
  }
});

apikey('every route succeeds for a key granted its operation on the collection, including by a glob', async ({ stack }) => {
  for (const collection of ['orders', `orders_${uniqueCollection()}`]) {
    for (const route of ROUTES) {
      const id = await seed(stack, collection, bearer(WRITER_KEY));
      const reply = await route.send(stack, collection, id, bearer(WRITER_KEY));
      assert.is(reply.status, route.success, `${route.name} on ${collection}: ${reply.text}`);
    }
  }
});

apikey('every route answers 403 for a collection the key is not granted', async ({ stack }) => {
  for (const route of ROUTES) assertForbidden(await route.send(stack, 'users', 'x', bearer(WRITER_KEY)), route.name);
});

apikey('a key answers 403 for operations it is not granted and succeeds for those it is', async ({ stack }) => {
  for (const route of ROUTES) {
    const id = await seed(stack, 'orders', bearer(WRITER_KEY));
    const reply = await route.send(stack, 'orders', id, bearer(READER_KEY));
    if (route.operation === 'read' || route.operation === 'query') assert.is(reply.status, route.success, `${route.name}: ${reply.text}`);
    else assertForbidden(reply, route.name);
  }
});

apikey('a forbidden write changes nothing', async ({ stack }) => {
  const id = await seed(stack, 'orders', bearer(WRITER_KEY));
  assertForbidden(await request(stack.url, 'PUT', `${docs('orders')}/${id}`, { json: { data: { n: 99 } }, headers: bearer(READER_KEY) }), 'replace');
  const after = await request(stack.url, 'GET', `${docs('orders')}/${id}`, { headers: bearer(READER_KEY) });
  assert.equal(after.body.data, { n: 0 });
  assert.is(after.body.version, 1);
});

apikey('every RPC answers UNAUTHENTICATED without a key or with a wrong one', async ({ stack }) => {
  const writer = bearer(WRITER_KEY);
  await rpcMatrix(stack, {}, 'orders', () => status.UNAUTHENTICATED, writer);
  await rpcMatrix(stack, bearer('wrong-secret-0123456789abcdef'), 'orders', () => status.UNAUTHENTICATED, writer);
});

apikey('every RPC succeeds when granted and answers PERMISSION_DENIED for another collection or operation', async ({ stack }) => {
  const writer = bearer(WRITER_KEY);
  await rpcMatrix(stack, writer, 'orders', () => status.OK, writer);
  await rpcMatrix(stack, writer, 'users', () => status.PERMISSION_DENIED, writer);
  await rpcMatrix(stack, bearer(READER_KEY), 'orders', (rpc) => (rpc.operation === 'read' || rpc.operation === 'query' ? status.OK : status.PERMISSION_DENIED), writer);
});

apikey('with authentication on, nothing warns that it is off', ({ stack }) => {
  assert.not.match(stack.process.output(), /authentication is OFF/);
});

apikey('probes and metrics stay open without credentials', async ({ stack }) => {
  assert.is((await request(stack.url, 'GET', '/healthz')).status, 200);
  assert.is((await request(stack.url, 'GET', '/readyz')).status, 200);
  assert.is((await request(stack.url, 'GET', '/metrics')).status, 200);
});

apikey('credentials are checked before the collection name, so an anonymous caller learns nothing', async ({ stack }) => {
  assertUnauthenticated(await request(stack.url, 'GET', `${docs('9bad')}/x`), 'get', false);
  assert.is((await request(stack.url, 'GET', `${docs('9bad')}/x`, { headers: bearer(WRITER_KEY) })).status, 400);
});

apikey('a bad id is 400 before the policy is asked, in a collection the key is not granted too', async ({ stack }) => {
  const reply = await request(stack.url, 'GET', `${docs('secret')}/-x`, { headers: bearer(READER_KEY) });
  assert.is(reply.status, 400, reply.text);
  assert.match(reply.body.detail, /^id must match/);
  assert.is((await request(stack.url, 'DELETE', `${docs('orders')}/-x`, { headers: bearer(READER_KEY) })).status, 400);
});

apikey('a bad index name is 400 before the policy is asked, for a key without admin', async ({ stack }) => {
  const indexes = '/v1/collections/orders/indexes';
  const create = await request(stack.url, 'PUT', `${indexes}/1bad`, { json: { keys: { a: 1 } }, headers: bearer(READER_KEY) });
  assert.is(create.status, 400, create.text);
  assert.match(create.body.detail, /^name: must match/);
  assert.is((await request(stack.url, 'DELETE', `${indexes}/1bad`, { headers: bearer(READER_KEY) })).status, 400);
  assert.is((await request(stack.url, 'DELETE', `${indexes}/good`, { headers: bearer(READER_KEY) })).status, 403);
});

apikey.run();

// --- JWT (HS256) -----------------------------------------------------------------------------------------

const jwt = suite<{ stack: Stack & { removeData: () => void } }>('auth matrix: AUTH_MODE=jwt (HS256)');

const key = (secret: string) => new TextEncoder().encode(secret);

async function token(claims: Record<string, unknown>, options: { secret?: string; issuer?: string; audience?: string; expiresAt?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(key(options.secret ?? JWT_SECRET));
}

jwt.before(async (ctx) => {
  ctx.stack = await startStack({
    AUTH_MODE: 'jwt',
    JWT_SECRET,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AUTH_POLICY: POLICY,
  });
});
jwt.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

jwt('every route answers 401 without a token', async ({ stack }) => {
  for (const route of ROUTES) assertUnauthenticated(await route.send(stack, 'orders', 'x', {}), route.name, false);
});

jwt('every route answers 401 invalid_token for an expired token', async ({ stack }) => {
  const expired = await token({ roles: ['writer'] }, { expiresAt: Math.floor(Date.now() / 1000) - 3600 });
  for (const route of ROUTES) {
    const reply = await route.send(stack, 'orders', 'x', bearer(expired));
    assertUnauthenticated(reply, route.name, true);
    assert.match(reply.body.detail, /expired/);
  }
});

jwt('every route answers 401 invalid_token for a token signed with another secret', async ({ stack }) => {
  const forged = await token({ roles: ['writer'] }, { secret: 'not-the-service-secret-0123456789abcdef' });
  for (const route of ROUTES) assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer(forged)), route.name, true);
});

jwt('every route answers 401 for a token from another issuer or for another audience', async ({ stack }) => {
  const otherIssuer = await token({ roles: ['writer'] }, { issuer: 'https://evil.test' });
  const otherAudience = await token({ roles: ['writer'] }, { audience: 'another-service' });
  for (const route of ROUTES) {
    assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer(otherIssuer)), route.name, true);
    assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer(otherAudience)), route.name, true);
  }
});

jwt('every route answers 401 for an unsigned token (alg none) and for garbage', async ({ stack }) => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'none' })}.${encode({ roles: ['writer'], iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.`;
  for (const route of ROUTES) {
    assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer(unsigned)), route.name, true);
    assertUnauthenticated(await route.send(stack, 'orders', 'x', bearer('not.a.jwt')), route.name, true);
  }
});

jwt('every route succeeds for a role granted its operation on the collection', async ({ stack }) => {
  const writer = bearer(await token({ roles: ['writer'] }));
  for (const route of ROUTES) {
    const id = await seed(stack, 'orders', writer);
    const reply = await route.send(stack, 'orders', id, writer);
    assert.is(reply.status, route.success, `${route.name}: ${reply.text}`);
  }
});

jwt('every route answers 403 for a collection no role of the token is granted', async ({ stack }) => {
  const writer = bearer(await token({ roles: ['writer'] }));
  for (const route of ROUTES) assertForbidden(await route.send(stack, 'users', 'x', writer), route.name);
});

jwt('a role answers 403 for operations it is not granted; roles may come as a space-separated string', async ({ stack }) => {
  const writer = bearer(await token({ roles: ['writer'] }));
  const reader = bearer(await token({ roles: 'reader auditor' }));
  for (const route of ROUTES) {
    const id = await seed(stack, 'orders', writer);
    const reply = await route.send(stack, 'orders', id, reader);
    if (route.operation === 'read' || route.operation === 'query') assert.is(reply.status, route.success, `${route.name}: ${reply.text}`);
    else assertForbidden(reply, route.name);
  }
});

jwt('every RPC answers UNAUTHENTICATED for an expired or forged token', async ({ stack }) => {
  const writer = bearer(await token({ roles: ['writer'] }));
  const expired = bearer(await token({ roles: ['writer'] }, { expiresAt: Math.floor(Date.now() / 1000) - 3600 }));
  const forged = bearer(await token({ roles: ['writer'] }, { secret: 'not-the-service-secret-0123456789abcdef' }));
  await rpcMatrix(stack, expired, 'orders', () => status.UNAUTHENTICATED, writer);
  await rpcMatrix(stack, forged, 'orders', () => status.UNAUTHENTICATED, writer);
});

jwt('every RPC succeeds for a granted role and answers PERMISSION_DENIED otherwise', async ({ stack }) => {
  const writer = bearer(await token({ roles: ['writer'] }));
  await rpcMatrix(stack, writer, 'orders', () => status.OK, writer);
  await rpcMatrix(stack, writer, 'users', () => status.PERMISSION_DENIED, writer);
  await rpcMatrix(stack, bearer(await token({ roles: ['reader'] })), 'orders', (rpc) => (rpc.operation === 'read' || rpc.operation === 'query' ? status.OK : status.PERMISSION_DENIED), writer);
});

jwt('a valid token without roles is allowed nothing', async ({ stack }) => {
  const nobody = bearer(await token({}));
  for (const route of ROUTES) assertForbidden(await route.send(stack, 'orders', 'x', nobody), route.name);
});

jwt.run();

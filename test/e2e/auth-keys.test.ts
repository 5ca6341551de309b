import { createServer, type Server } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { freePort, tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * JWTs signed with asymmetric keys (RS256) from a JWKS endpoint or a configured public key, a JWKS endpoint
 * that is down, and the per-principal rate limit; each against a function process started alone.
 */
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'dbsvc';
const POLICY = JSON.stringify({ reader: { '*': ['read'] } });
const PATH = '/v1/collections/orders/documents/missing';

async function rs256(privateKey: CryptoKey, kid: string, roles: string[] = ['reader']): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('svc-1')
    .setExpirationTime('10m')
    .sign(privateKey);
}

async function serveJwks(body: unknown): Promise<{ url: string; server: Server }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/jwks.json`, server };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('RS256 tokens are verified against the JWKS endpoint; a token signed by another key with the same kid is 401', async () => {
  const signing = await generateKeyPair('RS256');
  const impostor = await generateKeyPair('RS256');
  const jwks = await serveJwks({ keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const data = tempDir('dbsvc-jwks');
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    AUTH_MODE: 'jwt',
    JWT_JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AUTH_POLICY: POLICY,
  });
  try {
    // 404: authenticated, authorized, and the store was asked.
    assert.is((await request(fn.url, 'GET', PATH, { headers: bearer(await rs256(signing.privateKey, 'k1')) })).status, 404);
    const forged = await request(fn.url, 'GET', PATH, { headers: bearer(await rs256(impostor.privateKey, 'k1')) });
    assert.is(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  } finally {
    await fn.process.stop();
    jwks.server.close();
    data.remove();
  }
});

test('an HS256 token is refused when the service expects RS256, even if signed with the public key', async () => {
  const signing = await generateKeyPair('RS256');
  const pem = await exportSPKI(signing.publicKey);
  const data = tempDir('dbsvc-pubkey');
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    AUTH_MODE: 'jwt',
    JWT_PUBLIC_KEY: pem,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AUTH_POLICY: POLICY,
  });
  try {
    assert.is((await request(fn.url, 'GET', PATH, { headers: bearer(await rs256(signing.privateKey, 'any')) })).status, 404);
    const confused = await new SignJWT({ roles: ['reader'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(pem));
    const reply = await request(fn.url, 'GET', PATH, { headers: bearer(confused) });
    assert.is(reply.status, 401);
    assert.match(reply.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('an ES256 token naming a JWKS key that cannot verify it is 401 invalid_token, not 503', async () => {
  const signing = await generateKeyPair('ES256');
  const published = await exportJWK(signing.publicKey);
  // The key set publishes the P-256 key with a point off the curve: jose cannot use it for ES256, and the token
  // that names it is refused like any token that cannot be verified; the key set itself was fetched fine.
  const jwks = await serveJwks({ keys: [{ ...published, y: published.x, kid: 'ec1', alg: 'ES256', use: 'sig' }] });
  const data = tempDir('dbsvc-jwks-unusable');
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    AUTH_MODE: 'jwt',
    JWT_JWKS_URL: jwks.url,
    JWT_ALGORITHMS: 'ES256',
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AUTH_POLICY: POLICY,
  });
  try {
    const token = await new SignJWT({ roles: ['reader'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(signing.privateKey);
    const reply = await request(fn.url, 'GET', PATH, { headers: bearer(token) });
    assert.is(reply.status, 401);
    assert.match(reply.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  } finally {
    await fn.process.stop();
    jwks.server.close();
    data.remove();
  }
});

test('a JWKS endpoint that cannot be reached answers 503 with Retry-After, not 401 and not a hang', async () => {
  const signing = await generateKeyPair('RS256');
  const closedPort = await freePort();
  const data = tempDir('dbsvc-jwks-down');
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    AUTH_MODE: 'jwt',
    JWT_JWKS_URL: `http://127.0.0.1:${closedPort}/jwks.json`,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AUTH_POLICY: POLICY,
  });
  try {
    const reply = await request(fn.url, 'GET', PATH, { headers: bearer(await rs256(signing.privateKey, 'k1')) });
    assert.is(reply.status, 503);
    assert.ok(Number(reply.headers.get('retry-after')) >= 1);
    assert.is((await request(fn.url, 'GET', '/healthz')).status, 200);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('past its rate a key gets 429 with Retry-After while another key is still served', async () => {
  const data = tempDir('dbsvc-rate');
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    AUTH_MODE: 'apikey',
    API_KEYS: 'busy:busy-secret-0123456789abcdef,calm:calm-secret-0123456789abcdef',
    AUTH_POLICY: JSON.stringify({ busy: { '*': ['read'] }, calm: { '*': ['read'] } }),
    RATE_LIMIT_PER_SECOND: '1',
    RATE_LIMIT_BURST: '2',
  });
  try {
    const burst = await Promise.all(Array.from({ length: 6 }, () => request(fn.url, 'GET', PATH, { headers: bearer('busy-secret-0123456789abcdef') })));
    const limited = burst.filter((reply) => reply.status === 429);
    assert.ok(limited.length >= 1, `statuses: ${burst.map((r) => r.status).join(',')}`);
    assert.ok(burst.every((reply) => reply.status === 404 || reply.status === 429));
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    assert.is(limited[0]!.body.status, 429);
    assert.is((await request(fn.url, 'GET', PATH, { headers: bearer('calm-secret-0123456789abcdef') })).status, 404);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test.run();

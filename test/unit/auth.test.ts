import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportSPKI, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimitedError, UnauthenticatedError } from '../../shared/domain/errors.js';
import { apiKeyMatcher, parseApiKeys } from '../../shared/runtime/auth/api-keys.js';
import { jwtVerifier } from '../../shared/runtime/auth/jwt.js';
import { verifiableAlgorithms } from '../../shared/runtime/auth/jwt-key-algorithms.js';
import { globMatches, isAllowed, parsePolicy } from '../../shared/runtime/auth/policy.js';
import { bearerToken, invalidToken } from '../../shared/runtime/auth/principal.js';
import { RateLimiter } from '../../shared/runtime/auth/rate-limit.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';

// --- policy ----------------------------------------------------------------------------------------------

const policy = parsePolicy(JSON.stringify({ billing: { orders: ['read', 'write'], 'audit_*': ['query'] }, admin: { '*': ['*'] } }));

test('a policy grants a role the listed operations on a named collection and nothing else there', () => {
  assert.ok(isAllowed(policy, ['billing'], 'orders', 'read'));
  assert.ok(isAllowed(policy, ['billing'], 'orders', 'write'));
  assert.not.ok(isAllowed(policy, ['billing'], 'orders', 'delete'));
  assert.not.ok(isAllowed(policy, ['billing'], 'orders2', 'read'));
});

test('a policy pattern with * grants every collection it matches', () => {
  assert.ok(isAllowed(policy, ['billing'], 'audit_2026', 'query'));
  assert.not.ok(isAllowed(policy, ['billing'], 'audit', 'query'));
  assert.ok(isAllowed(policy, ['admin'], 'anything', 'delete'));
});

test('a policy allows when any of several roles is granted, and denies unknown roles', () => {
  assert.ok(isAllowed(policy, ['nobody', 'billing'], 'orders', 'read'));
  assert.not.ok(isAllowed(policy, ['nobody'], 'orders', 'read'));
  assert.not.ok(isAllowed(policy, [], 'orders', 'read'));
});

test('a policy role named __proto__ or constructor is just a name', () => {
  const odd = parsePolicy('{"__proto__": {"a": ["read"]}, "constructor": {"b": ["read"]}}');
  assert.ok(isAllowed(odd, ['__proto__'], 'a', 'read'));
  assert.not.ok(isAllowed(odd, ['__proto__'], 'b', 'read'));
  assert.not.ok(isAllowed(policy, ['constructor'], 'orders', 'read'));
});

test('parsePolicy names what is wrong', () => {
  assert.throws(() => parsePolicy('not json'), /must be JSON/);
  assert.throws(() => parsePolicy('[]'), /JSON object/);
  assert.throws(() => parsePolicy('{"r": ["read"]}'), /role 'r' must map/);
  assert.throws(() => parsePolicy('{"r": {"a.b": ["read"]}}'), /pattern 'a.b'/);
  assert.throws(() => parsePolicy('{"r": {"a": []}}'), /non-empty list/);
  assert.throws(() => parsePolicy('{"r": {"a": ["update"]}}'), /unknown operation "update"/);
});

test('globMatches: * matches any run, including none, and everything else matches itself', () => {
  assert.ok(globMatches('a*c', 'ac'));
  assert.ok(globMatches('a*c', 'abbbc'));
  assert.ok(globMatches('*_log', 'x_y_log'));
  assert.not.ok(globMatches('a*c', 'abcd'));
  assert.not.ok(globMatches('abc', 'ab'));
  assert.ok(globMatches('**', ''));
});

test('globMatches stays quick on patterns that make a backtracking matcher explode', () => {
  const pattern = `${'a*'.repeat(30)}b`;
  assert.not.ok(globMatches(pattern, 'a'.repeat(64)));
});

// --- API keys --------------------------------------------------------------------------------------------

test('parseApiKeys reads name:secret pairs separated by commas', () => {
  assert.equal(parseApiKeys('a:0123456789abcdef, b.2:fedcba9876543210'), [
    { name: 'a', secret: '0123456789abcdef' },
    { name: 'b.2', secret: 'fedcba9876543210' },
  ]);
});

test('parseApiKeys refuses short secrets, bad names and duplicates without echoing any secret', () => {
  for (const [text, message] of [
    ['a:short', /16 to 512/],
    ['nocolon', /name:secret/],
    ['bad name:0123456789abcdef', /name must be/],
    ['a:0123456789abcdef,a:fedcba9876543210', /used twice/],
  ] as const) {
    const error = (() => {
      try {
        parseApiKeys(text);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error(`accepted ${text}`);
    })();
    assert.match(error.message, message);
    assert.not.match(error.message, /0123456789abcdef|fedcba9876543210|short/);
  }
});

test('apiKeyMatcher finds the key a secret belongs to and nothing for any other string', () => {
  const match = apiKeyMatcher(parseApiKeys('a:0123456789abcdef,b:fedcba9876543210'));
  assert.is(match('fedcba9876543210'), 'b');
  assert.is(match('0123456789abcdef'), 'a');
  assert.is(match('0123456789abcde'), undefined);
  assert.is(match(''), undefined);
});

// --- bearer tokens ---------------------------------------------------------------------------------------

test('bearerToken takes the token of a Bearer header, any case of the scheme', () => {
  assert.is(bearerToken('Bearer abc.def'), 'abc.def');
  assert.is(bearerToken('bearer abc'), 'abc');
});

test('bearerToken refuses a missing header and other schemes with a bare Bearer challenge', () => {
  for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', 'Bearer \u00e9']) {
    try {
      bearerToken(header);
      assert.unreachable(`accepted ${header}`);
    } catch (error) {
      assert.instance(error, UnauthenticatedError);
      assert.is((error as UnauthenticatedError).challenge, 'Bearer realm="dbsvc"');
    }
  }
});

test('invalidToken quotes its description safely inside the challenge', () => {
  const error = invalidToken('bad "claim"\r\nX-Injected: 1');
  assert.is(error.challenge, `Bearer realm="dbsvc", error="invalid_token", error_description="bad 'claim'''X-Injected: 1"`);
});

// --- JWT ------------------------------------------------------------------------------------------------

const JWT_ENV = { AUTH_MODE: 'jwt', AUTH_POLICY: '{"reader": {"*": ["read"]}}', JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'dbsvc' };

/** What verifying `token` throws; fails the test when the token is accepted. */
async function refusal(verify: (token: string) => Promise<unknown>, token: string): Promise<unknown> {
  try {
    await verify(token);
  } catch (error) {
    return error;
  }
  throw new Error('the token was accepted');
}

test('a JWT whose algorithm the signing key cannot verify is 401 invalid_token naming that, not 503', async () => {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  // Keys from a JWKS arrive at run time, so a token can name an algorithm its key does not fit although start-up
  // checks JWT_PUBLIC_KEY against JWT_ALGORITHMS; a fixed RSA key with ES256 allowed stands in for that here.
  const config = { ...loadConfig({ ...JWT_ENV, JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey) }), JWT_ALGORITHMS: ['RS256', 'ES256'] };
  const token = await new SignJWT({ roles: ['reader'] })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(JWT_ENV.JWT_ISSUER)
    .setAudience(JWT_ENV.JWT_AUDIENCE)
    .setExpirationTime('10m')
    .sign(ec.privateKey);
  const error = await refusal(jwtVerifier(config), token);
  assert.instance(error, UnauthenticatedError);
  assert.match((error as UnauthenticatedError).challenge, /error="invalid_token", error_description="[^"]*algorithm[^"]*signing key/);
});

test('a signed JWT without exp is 401 invalid_token naming the missing claim', async () => {
  const secret = 'jwt-unit-secret-0123456789abcdefghijklmn';
  const verify = jwtVerifier(loadConfig({ ...JWT_ENV, JWT_SECRET: secret }));
  const token = await new SignJWT({ roles: ['reader'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(JWT_ENV.JWT_ISSUER)
    .setAudience(JWT_ENV.JWT_AUDIENCE)
    .setIssuedAt(1)
    .sign(new TextEncoder().encode(secret));
  const error = await refusal(verify, token);
  assert.instance(error, UnauthenticatedError);
  assert.match((error as UnauthenticatedError).challenge, /error="invalid_token", error_description="[^"]*'exp'/);
});

test('the algorithms a public key is said to verify are exactly those jose verifies with it', async () => {
  const keys: Record<string, KeyObject> = {
    'RSA 2048': generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    'RSA 1024': generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
    'RSA-PSS 2048': generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
    'P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    'P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
    'P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey,
    secp256k1: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
    Ed25519: generateKeyPairSync('ed25519').publicKey,
    Ed448: generateKeyPairSync('ed448').publicKey,
  };
  const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const [name, key] of Object.entries(keys)) {
    const verified: string[] = [];
    for (const alg of algorithms) {
      // A wrong signature is what jose reports only once it has a key it can check this algorithm with.
      const error = await refusal((token) => jwtVerify(token, key, { algorithms: [alg] }), `${part({ alg })}.${part({})}.AAAA`);
      if ((error as { code?: unknown }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') verified.push(alg);
    }
    assert.equal(verifiableAlgorithms(key), verified, name);
  }
});

// --- rate limit ------------------------------------------------------------------------------------------

function limiter(perSecond: number, burst: number, maxBuckets?: number) {
  let now = 0;
  const instance = new RateLimiter({ perSecond, burst, now: () => now, ...(maxBuckets ? { maxBuckets } : {}) });
  return { instance, advance: (ms: number) => (now += ms) };
}

const assertLimited = (take: () => void) => void retryAfter(take);

function retryAfter(take: () => void): number {
  try {
    take();
  } catch (error) {
    assert.instance(error, RateLimitedError);
    return (error as RateLimitedError).retryAfterSeconds;
  }
  throw new Error('not limited');
}

test('the rate limiter lets a burst through, then refuses until a token refills', () => {
  const { instance, advance } = limiter(2, 3);
  for (let i = 0; i < 3; i++) instance.take('k');
  assert.is(retryAfter(() => instance.take('k')), 0.5);
  advance(500);
  instance.take('k');
  assertLimited(() => instance.take('k'));
});

test('the rate limiter keeps one bucket per principal', () => {
  const { instance } = limiter(1, 1);
  instance.take('a');
  assertLimited(() => instance.take('a'));
  instance.take('b');
});

test('the rate limiter never stores more than its burst while idle', () => {
  const { instance, advance } = limiter(10, 2);
  instance.take('k');
  advance(60_000);
  instance.take('k');
  instance.take('k');
  assertLimited(() => instance.take('k'));
});

test('the rate limiter bounds its memory by dropping idle buckets first', () => {
  const { instance, advance } = limiter(1, 1, 2);
  instance.take('a');
  instance.take('b');
  advance(2000);
  instance.take('c');
  // 'a' was idle and dropped, so it starts again with a full bucket; 'c' is still tracked.
  instance.take('a');
  assertLimited(() => instance.take('c'));
});

test.run();

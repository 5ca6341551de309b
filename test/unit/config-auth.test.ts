import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { configError } from '../support/config-error.js';

const POLICY = '{"reader": {"*": ["read"]}}';
const KEYS = 'reader:0123456789abcdef';

test('auth is off by default and needs nothing else', () => {
  const config = loadConfig({});
  assert.is(config.AUTH_MODE, 'none');
  assert.is(config.RATE_LIMIT_PER_SECOND, 0);
});

test('AUTH_MODE=apikey parses API_KEYS and AUTH_POLICY', () => {
  const config = loadConfig({ AUTH_MODE: 'apikey', API_KEYS: KEYS, AUTH_POLICY: POLICY });
  assert.equal(config.API_KEYS, [{ name: 'reader', secret: '0123456789abcdef' }]);
  assert.ok(config.AUTH_POLICY?.grants.has('reader'));
});

test('AUTH_MODE=apikey without API_KEYS or without AUTH_POLICY is refused, naming the variable', () => {
  assert.match(configError({ AUTH_MODE: 'apikey', AUTH_POLICY: POLICY }), /API_KEYS is required when AUTH_MODE=apikey/);
  assert.match(configError({ AUTH_MODE: 'apikey', API_KEYS: KEYS }), /AUTH_POLICY is required when AUTH_MODE=apikey/);
});

test('a malformed API_KEYS is refused without echoing its secrets', () => {
  const message = configError({ AUTH_MODE: 'apikey', API_KEYS: 'reader:tooshort,other:0123456789abcdef', AUTH_POLICY: POLICY });
  assert.match(message, /API_KEYS=\(secret\): entry 1 \('reader'\)/);
  assert.not.match(message, /tooshort|0123456789abcdef/);
});

test('a short JWT_SECRET is refused without echoing it', () => {
  const message = configError({ AUTH_MODE: 'jwt', JWT_SECRET: 'short-secret', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', AUTH_POLICY: POLICY });
  assert.match(message, /JWT_SECRET=\(secret\): must be at least 32 characters/);
  assert.not.match(message, /short-secret/);
});

test('an AUTH_POLICY that is not valid is refused with the reason', () => {
  assert.match(configError({ AUTH_POLICY: '{"r": {"a": ["update"]}}' }), /AUTH_POLICY=.*unknown operation "update"/);
});

test('AUTH_MODE=jwt needs exactly one key source, an issuer and an audience', () => {
  const message = configError({ AUTH_MODE: 'jwt', AUTH_POLICY: POLICY });
  assert.match(message, /exactly one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL/);
  assert.match(message, /JWT_ISSUER is required/);
  assert.match(message, /JWT_AUDIENCE is required/);
  const both = { AUTH_MODE: 'jwt', AUTH_POLICY: POLICY, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_SECRET: 'x'.repeat(32), JWT_JWKS_URL: 'https://idp.test/jwks' };
  assert.match(configError(both), /exactly one of/);
});

test('JWT_ALGORITHMS defaults to HS256 with a secret and RS256 with a key set', () => {
  const base = { AUTH_MODE: 'jwt', AUTH_POLICY: POLICY, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };
  assert.equal(loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32) }).JWT_ALGORITHMS, ['HS256']);
  assert.equal(loadConfig({ ...base, JWT_JWKS_URL: 'https://idp.test/jwks' }).JWT_ALGORITHMS, ['RS256']);
});

test('JWT_ALGORITHMS must fit the key source', () => {
  const base = { AUTH_MODE: 'jwt', AUTH_POLICY: POLICY, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };
  assert.match(configError({ ...base, JWT_SECRET: 'x'.repeat(32), JWT_ALGORITHMS: 'HS256,RS256' }), /only HS256\/HS384\/HS512 with JWT_SECRET/);
  assert.match(configError({ ...base, JWT_JWKS_URL: 'https://idp.test/jwks', JWT_ALGORITHMS: 'HS256' }), /HS\* only with JWT_SECRET/);
  assert.match(configError({ ...base, JWT_JWKS_URL: 'https://idp.test/jwks', JWT_ALGORITHMS: 'none' }), /JWT_ALGORITHMS="none"/);
});

test('JWT_PUBLIC_KEY must be a PEM public key', () => {
  assert.match(configError({ JWT_PUBLIC_KEY: 'not a key' }), /JWT_PUBLIC_KEY=.*must be a PEM public key/);
});

const JWT_BASE = { AUTH_MODE: 'jwt', AUTH_POLICY: POLICY, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };
const pem = ({ publicKey }: { publicKey: KeyObject }) => publicKey.export({ type: 'spki', format: 'pem' }) as string;
const RSA_KEY = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }));
const EC_KEY = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }));

test('an EC JWT_PUBLIC_KEY with the default JWT_ALGORITHMS (RS256) is refused, naming both variables', () => {
  const message = configError({ ...JWT_BASE, JWT_PUBLIC_KEY: EC_KEY });
  assert.match(message, /JWT_PUBLIC_KEY .*cannot verify RS256.*JWT_ALGORITHMS/);
  assert.match(message, /ES256/);
});

test('an RSA JWT_PUBLIC_KEY with JWT_ALGORITHMS=ES256 is refused, naming the algorithm it cannot verify', () => {
  assert.match(configError({ ...JWT_BASE, JWT_PUBLIC_KEY: RSA_KEY, JWT_ALGORITHMS: 'ES256' }), /JWT_PUBLIC_KEY .*cannot verify ES256.*JWT_ALGORITHMS/);
});

test('JWT_ALGORITHMS naming one algorithm the JWT_PUBLIC_KEY cannot verify beside ones it can is refused', () => {
  const message = configError({ ...JWT_BASE, JWT_PUBLIC_KEY: RSA_KEY, JWT_ALGORITHMS: 'RS256,ES256,PS256' });
  assert.match(message, /cannot verify ES256,/);
  assert.not.match(message, /cannot verify [^;]*(RS256|PS256)/);
});

test('a JWT_PUBLIC_KEY that can verify no JWT algorithm at all (RSA under 2048 bits) is refused', () => {
  assert.match(configError({ ...JWT_BASE, JWT_PUBLIC_KEY: pem(generateKeyPairSync('rsa', { modulusLength: 1024 })) }), /JWT_PUBLIC_KEY .*1024 bits.*verif(y|ies) no/);
});

test('API_KEYS with one secret under two names is refused, naming the names but not the secret', () => {
  const message = configError({ AUTH_MODE: 'apikey', AUTH_POLICY: POLICY, API_KEYS: 'reader:0123456789abcdef,admin:0123456789abcdef' });
  assert.match(message, /API_KEYS=\(secret\): entry 2 \('admin'\).*'reader'/);
  assert.not.match(message, /0123456789abcdef/);
});
test.run();

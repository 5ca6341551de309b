import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimitedError, UnauthenticatedError } from '../../shared/domain/errors.js';
import { apiKeyMatcher, parseApiKeys } from '../../shared/runtime/auth/api-keys.js';
import { globMatches, isAllowed, parsePolicy } from '../../shared/runtime/auth/policy.js';
import { bearerToken, invalidToken } from '../../shared/runtime/auth/principal.js';
import { RateLimiter } from '../../shared/runtime/auth/rate-limit.js';

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

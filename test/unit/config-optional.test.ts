import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimitedError } from '../../shared/domain/errors.js';
import { createAccessControl } from '../../shared/runtime/auth/access-control.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';

/** Settings whose absence means something of its own, not a fallback number. */

test('with RATE_LIMIT_BURST unset a caller may send a burst as large as RATE_LIMIT_PER_SECOND', async () => {
  const access = createAccessControl(loadConfig({ RATE_LIMIT_PER_SECOND: '20' }), 'get');
  for (let i = 0; i < 20; i++) await access.authenticate(undefined);
  await access.authenticate(undefined).then(
    () => assert.unreachable('the 21st request of the burst was let through'),
    (error: unknown) => assert.instance(error, RateLimitedError),
  );
});

test('with TOMBSTONE_RETENTION_SECONDS unset no tombstone is ever forgotten, so versions are never reused', () => {
  assert.is(loadConfig({}).TOMBSTONE_RETENTION_SECONDS, undefined);
  assert.is(loadConfig({ TOMBSTONE_RETENTION_SECONDS: '3600' }).TOMBSTONE_RETENTION_SECONDS, 3600);
});

test.run();

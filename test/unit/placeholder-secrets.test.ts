import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { parseApiKeys } from '../../shared/runtime/auth/api-keys.js';
import { placeholderReason } from '../../shared/runtime/auth/placeholder-secrets.js';

test('the placeholders of examples are refused, whatever their case and separators', () => {
  for (const secret of ['REPLACE-ME-with-a-long-random-key', 'replace_me_0123456789', 'ChangeMe0123456789', 'change-me-please-now', 'my-PLACEHOLDER-secret', 'an-example-api-key-1', 'your-secret-goes-here', 'insert_your_key_here']) {
    assert.ok(placeholderReason(secret), secret);
  }
});

test('a string of a few repeated characters is refused', () => {
  for (const secret of ['aaaaaaaaaaaaaaaa', '0000000000000000', 'abababababababab', 'abcabcabcabcabca']) assert.ok(placeholderReason(secret), secret);
});

test('random keys as docs/security.md makes them are accepted', () => {
  for (let i = 0; i < 1000; i++) {
    assert.is(placeholderReason(randomBytes(32).toString('base64')), undefined);
    assert.is(placeholderReason(randomBytes(16).toString('hex')), undefined);
  }
});

test('API_KEYS with a placeholder secret is refused, naming the entry but not the secret', () => {
  try {
    parseApiKeys('good:0123456789abcdef,bad:REPLACE-ME-with-a-long-random-key');
    assert.unreachable('accepted');
  } catch (error) {
    assert.match((error as Error).message, /^entry 2 \('bad'\): the secret is a placeholder/);
    assert.not.match((error as Error).message, 'REPLACE-ME-with');
  }
});

test.run();

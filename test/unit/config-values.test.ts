import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { configError } from '../support/config-error.js';

test('an integer variable holding only spaces is refused, not read as 0', () => {
  assert.match(configError({ PORT: ' ' }), /PORT=" ": must be an integer from 0 to 65535/);
  assert.match(configError({ STORE_MAX_QUEUE: '  ' }), /STORE_MAX_QUEUE="  ": must be an integer/);
});

test('an integer variable in hexadecimal, exponent or decimal-point notation is refused', () => {
  for (const value of ['0x50', '1e3', '1.0', '+5', ' 8080', '8080 ']) {
    assert.match(configError({ PORT: value }), new RegExp(`PORT=${JSON.stringify(value).replace(/[.+]/g, '\\$&')}: must be an integer`), value);
  }
  assert.is(loadConfig({ PORT: '8080' }).PORT, 8080);
  assert.is(loadConfig({ STORE_MAX_QUEUE: '0' }).STORE_MAX_QUEUE, 0);
});

test('a REDIS_URL whose port or host ioredis cannot parse is refused at start, naming REDIS_URL', () => {
  assert.match(configError({ REDIS_URL: 'redis://127.0.0.1:99999' }), /REDIS_URL="redis:\/\/127.0.0.1:99999": must be a redis:\/\/ or rediss:\/\/ URL/);
  assert.match(configError({ REDIS_URL: 'redis://:::' }), /REDIS_URL=.*: must be a redis:\/\/ or rediss:\/\/ URL/);
  assert.is(loadConfig({ REDIS_URL: 'rediss://:pw@cache.example:6380/2' }).REDIS_URL, 'rediss://:pw@cache.example:6380/2');
});

test('a REDIS_URL whose path is not a database number is refused at start, naming REDIS_URL', () => {
  assert.match(configError({ REDIS_URL: 'redis://127.0.0.1:6379/abc' }), /REDIS_URL="redis:\/\/127.0.0.1:6379\/abc": .*database number/);
  assert.match(configError({ REDIS_URL: 'redis://127.0.0.1:6379/1/2' }), /REDIS_URL=.*database number/);
  assert.is(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/' }).REDIS_URL, 'redis://127.0.0.1:6379/');
  assert.is(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/15' }).REDIS_URL, 'redis://127.0.0.1:6379/15');
});

test('a refused REDIS_URL or MONGODB_URI is quoted without its user and password', () => {
  const redis = configError({ REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:99999' });
  assert.match(redis, /REDIS_URL="redis:\/\/\(credentials\)@127.0.0.1:99999"/);
  assert.not.match(redis, /hunter2/);
  const mongo = configError({ MONGODB_URI: 'http://dbsvc:p@ss@hunter2@db.example/dbsvc' });
  assert.match(mongo, /MONGODB_URI="http:\/\/\(credentials\)@db.example\/dbsvc"/);
  assert.not.match(mongo, /hunter2|p@ss/);
});

test('a SHUTDOWN_ACCEPT_MS as long as the whole SHUTDOWN_TIMEOUT_SECONDS is refused, naming both', () => {
  assert.match(configError({ SHUTDOWN_ACCEPT_MS: '5000', SHUTDOWN_TIMEOUT_SECONDS: '5' }), /SHUTDOWN_ACCEPT_MS \(5000\) must be less than SHUTDOWN_TIMEOUT_SECONDS \(5\)/);
  assert.match(configError({ SHUTDOWN_ACCEPT_MS: '60000' }), /SHUTDOWN_ACCEPT_MS \(60000\) must be less than SHUTDOWN_TIMEOUT_SECONDS \(15\)/);
  assert.is(loadConfig({ SHUTDOWN_ACCEPT_MS: '4999', SHUTDOWN_TIMEOUT_SECONDS: '5' }).SHUTDOWN_ACCEPT_MS, 4999);
});

test.run();

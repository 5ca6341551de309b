import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { DIST, spawnNode } from '../support/processes.js';

test('a function given a MONGODB_URI the driver refuses exits 1 with a message naming MONGODB_URI', async () => {
  const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: '0', STORE: 'mongodb', MONGODB_URI: 'mongodb://127.0.0.1:99999/x' });
  const { code } = await fn.exited;
  assert.is(code, 1);
  assert.match(fn.output(), /^get: invalid configuration: MONGODB_URI: .*99999/m);
});

test('a function given STORE=mongodb without MONGODB_URI exits 1 saying MONGODB_URI is required', async () => {
  const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: '0', STORE: 'mongodb', MONGODB_URI: '' });
  const { code } = await fn.exited;
  assert.is(code, 1);
  assert.match(fn.output(), /MONGODB_URI is required when STORE=mongodb/);
});

test.run();

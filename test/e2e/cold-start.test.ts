import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { request } from '../support/http.js';
import { builtOutputs, lazyChunks, startupBytes } from '../support/bundles.js';
import { DIST, freePort, ROOT, spawnNode, tempDir, waitUntilReady } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

test('a function records its start-to-ready time as function_cold_start_seconds and in one log line', async () => {
  const data = tempDir('dbsvc-cold');
  const fn = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'info' });
  try {
    const metrics = await request(fn.url, 'GET', '/metrics');
    const sample = /^function_cold_start_seconds\{function="get"\} (\S+)$/m.exec(metrics.text);
    assert.ok(sample, 'function_cold_start_seconds{function="get"} is exposed');
    const seconds = Number(sample![1]);
    assert.ok(seconds > 0 && seconds < 60, `a plausible start time, got ${seconds}`);
    const readyLines = fn.process.output().split('\n').filter((line) => line.includes('"msg":"function ready"'));
    assert.is(readyLines.length, 1);
    assert.is(JSON.parse(readyLines[0]!).start_ms, Math.round(seconds * 1000));
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test("Node's default process metrics are exposed although they start only with the first scrape", async () => {
  const data = tempDir('dbsvc-cold');
  const fn = await startFunction('get', { DATA_DIR: data.path });
  try {
    const metrics = await request(fn.url, 'GET', '/metrics');
    assert.match(metrics.text, /^process_cpu_user_seconds_total\{function="get"\} /m);
    assert.match(metrics.text, /^nodejs_eventloop_lag_seconds\{function="get"\} /m);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test("a function compiles its code from the compile cache the build wrote", async () => {
  const data = tempDir('dbsvc-cold');
  const fn = await startFunction('get', { DATA_DIR: data.path, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  try {
    const reply = await request(fn.url, 'GET', '/v1/collections/c/documents/absent');
    assert.is(reply.status, 404);
    assert.match(fn.process.output(), /V8 code cache for ESM file:\S+\/dist\/chunks\/start-\w+\.mjs was accepted/);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('a function whose compile cache directory is missing starts, answers and leaves it missing', async () => {
  const copy = tempDir('dbsvc-nocache');
  const data = tempDir('dbsvc-cold');
  cpSync(DIST, join(copy.path, 'dist'), { recursive: true });
  rmSync(join(copy.path, 'dist', 'compile-cache'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy.path, 'node_modules'));
  const port = await freePort();
  const fn = spawnNode(join(copy.path, 'dist', 'functions', 'get.mjs'), { PORT: String(port), DATA_DIR: data.path, LOG_LEVEL: 'warn' });
  try {
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, fn);
    const reply = await request(`http://127.0.0.1:${port}`, 'GET', '/v1/collections/c/documents/absent');
    assert.is(reply.status, 404);
    await fn.stop();
    assert.not.ok(existsSync(join(copy.path, 'dist', 'compile-cache')), 'a missing cache directory is left missing');
  } finally {
    await fn.stop();
    copy.remove();
    data.remove();
  }
});

test('every function reads at most 1 MiB of bundle at start', () => {
  const outputs = builtOutputs();
  for (const name of FUNCTION_NAMES) {
    const bytes = startupBytes(outputs, `dist/functions/${name}.mjs`);
    assert.ok(bytes > 0 && bytes <= 1024 * 1024, `${name}.mjs and its static chunks are ${bytes} bytes`);
  }
});

test('optional adapters are chunks of their own that a function does not read at start', () => {
  const lazy = lazyChunks(builtOutputs(), 'dist/functions/create.mjs');
  assert.ok(lazy.some((path) => /\/cloudevent-sink-\w+\.mjs$/.test(path)), `cloudevent sink is lazy: ${lazy.join(', ')}`);
  assert.ok(lazy.some((path) => /\/defaultMetrics-\w+\.mjs$/.test(path)), `default metrics are lazy: ${lazy.join(', ')}`);
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { registerGet } from '../../functions/get/app.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { createFunctionApp, type FunctionApp } from '../../shared/runtime/http/function-app.js';
import { Lifecycle } from '../../shared/runtime/lifecycle.js';
import { logEvents } from '../../shared/runtime/events/log-events.js';
import { createLogger } from '../../shared/runtime/observability/logger.js';
import { createMetrics } from '../../shared/runtime/observability/metrics.js';
import { tempDir } from '../support/processes.js';

/** The probes of the function app over a real SQLite store, with the process's drain state flipped directly. */
const test = suite<{ app: FunctionApp; lifecycle: Lifecycle; close: () => Promise<void> }>('probes');

test.before.each((ctx) => {
  const data = tempDir('dbsvc-probes');
  const config = loadConfig({ DATA_DIR: data.path });
  const log = createLogger({ level: 'fatal' });
  const store = openSqliteStore({ dataDir: data.path });
  const deps = { store, clock: { now: () => new Date() }, ids: { next: randomUUID }, events: logEvents(log) };
  ctx.lifecycle = new Lifecycle();
  ctx.app = createFunctionApp({ name: 'get', config, deps, log, metrics: createMetrics('get'), lifecycle: ctx.lifecycle }, registerGet);
  ctx.close = async () => {
    await store.close();
    data.remove();
  };
});
test.after.each(async (ctx) => {
  await ctx.close();
});

test('a running function is alive and ready', async ({ app }) => {
  assert.is((await app.request('/healthz')).status, 200);
  assert.is((await app.request('/readyz')).status, 200);
});

test('once draining, readiness answers 503 problem+json with Retry-After', async ({ app, lifecycle }) => {
  lifecycle.startDraining();
  const reply = await app.request('/readyz');
  assert.is(reply.status, 503);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.ok(Number(reply.headers.get('retry-after')) >= 1);
});

test('once draining, liveness answers 503 too', async ({ app, lifecycle }) => {
  lifecycle.startDraining();
  assert.is((await app.request('/healthz')).status, 503);
});

test('a request answered while draining tells the client to close the connection', async ({ app, lifecycle }) => {
  assert.is((await app.request('/v1/collections/c/documents/missing')).headers.get('connection'), null);
  lifecycle.startDraining();
  const reply = await app.request('/v1/collections/c/documents/missing');
  assert.is(reply.status, 404);
  assert.is(reply.headers.get('connection'), 'close');
});

test.run();

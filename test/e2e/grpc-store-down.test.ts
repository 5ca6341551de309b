import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertStatus, DocumentServiceApi, jsonToStruct, status } from '../support/grpc.js';
import { request } from '../support/http.js';
import { metricValue, scrape } from '../support/metrics.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { startSidecar, type StartedSidecar } from '../support/sidecar.js';
import { startFunction } from '../support/stack.js';
import { documentJson, startStandInFunction } from '../support/stand-in-function.js';

/**
 * The sidecar in front of real function bundles whose SQLite store cannot be opened (DATA_DIR lies under a
 * file). Such a function is up: it retries its store within its own budget, then its circuit breaker answers
 * 503 at once with Retry-After. An idempotent call passes that answer on as UNAVAILABLE instead of asking
 * again for the whole retry window (10 s), which a call with a shorter deadline saw as DEADLINE_EXCEEDED.
 */

const RETRY_WINDOW_SECONDS = '10';
/** Shorter than the retry window: a sidecar that retried through the window would end these calls DEADLINE_EXCEEDED. */
const DEADLINE_MS = 8_000;
const DOCUMENT_PATH = '/v1/collections/:collection/documents/:id';
const DOCUMENTS_PATH = '/v1/collections/:collection/documents';

interface Context {
  data: { path: string; remove: () => void };
  /** Its breaker pauses 60 s, longer than the retry window: Retry-After 60 once open. */
  get: { url: string; process: Spawned };
  /** Its breaker pauses 1 s, which fits in the retry window and the deadline: Retry-After 1. */
  create: { url: string; process: Spawned };
  sidecar: StartedSidecar;
  api: DocumentServiceApi;
}

const test = suite<Context>('gRPC sidecar in front of functions whose store is down', {} as Context);

test.before(async (context) => {
  context.data = tempDir('dbsvc-grpc-store-down');
  const blocker = join(context.data.path, 'not-a-directory');
  writeFileSync(blocker, '');
  const unopenable = join(blocker, 'data');
  context.get = await startFunction('get', { DATA_DIR: unopenable, STORE_BREAKER_HALF_OPEN_MS: '60000' });
  context.create = await startFunction('create', { DATA_DIR: unopenable, STORE_BREAKER_HALF_OPEN_MS: '1000' });
  // No readiness polling: its probes would be the breakers' trial calls, and the tests count requests.
  context.sidecar = await startSidecar(
    { get: context.get.url, create: context.create.url },
    { GRPC_RETRY_SECONDS: RETRY_WINDOW_SECONDS, GRPC_READINESS_POLL_SECONDS: '0' },
  );
  context.api = new DocumentServiceApi(context.sidecar.address);
});

test.after(async ({ api, sidecar, get, create, data }) => {
  api?.close();
  await Promise.all([sidecar?.process.stop(), get?.process.stop(), create?.process.stop()]);
  data?.remove();
});

/** Requests the function answered on one route, as its own metrics count them. */
async function requestsSeen(url: string, method: string, route: string): Promise<number> {
  return metricValue(await scrape(url), 'http_requests_total', { method, route });
}

/** Asks the function directly until its breaker is open, which its Retry-After tells. */
async function openBreaker(url: string, path: string, retryAfter: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const reply = await request(url, 'GET', path);
    assert.is(reply.status, 503);
    if (reply.headers.get('retry-after') === retryAfter) return;
  }
  assert.unreachable(`the function never answered Retry-After ${retryAfter}`);
}

test('a get whose function asks for a pause longer than the retry window is UNAVAILABLE at once, sent once', async ({ api, get }) => {
  await openBreaker(get.url, '/v1/collections/c/documents/d', '60');
  const before = await requestsSeen(get.url, 'GET', DOCUMENT_PATH);
  const error = await assertStatus(api.get({ collection: 'c', id: 'd' }, { deadlineMs: DEADLINE_MS }), status.UNAVAILABLE, 'the store is failing');
  assert.equal(error.metadata.get('retry-after'), ['60']);
  assert.is((await requestsSeen(get.url, 'GET', DOCUMENT_PATH)) - before, 1);
});

test('a keyed create whose function asks for a pause that fits is sent once more after it, then UNAVAILABLE', async ({ api, create }) => {
  const before = await requestsSeen(create.url, 'POST', DOCUMENTS_PATH);
  const call = api.create({ collection: 'c', data: jsonToStruct({ n: 1 }), idempotency_key: 'store-down' }, { deadlineMs: DEADLINE_MS });
  const error = await assertStatus(call, status.UNAVAILABLE, 'store');
  assert.equal(error.metadata.get('retry-after'), ['1']);
  assert.is((await requestsSeen(create.url, 'POST', DOCUMENTS_PATH)) - before, 2);
});

test.run();

const proxied = suite('gRPC sidecar behind a proxy whose 503 names no pause');

proxied('a get answered 503 without Retry-After is retried with backoff until the function answers', async () => {
  let refusals = 2;
  const standIn = await startStandInFunction((_seen, res) => {
    if (refusals-- > 0) return res.writeHead(503, { 'content-type': 'text/plain' }).end('no healthy upstream');
    res.writeHead(200, { 'content-type': 'application/json' }).end(documentJson('c', 'p'));
  });
  const sidecar = await startSidecar({ get: standIn.url }, { GRPC_RETRY_SECONDS: RETRY_WINDOW_SECONDS }).catch(async (error: unknown) => {
    await standIn.close();
    throw error;
  });
  const api = new DocumentServiceApi(sidecar.address);
  try {
    assert.is((await api.get({ collection: 'c', id: 'p' }, { deadlineMs: DEADLINE_MS })).id, 'p');
    assert.is(standIn.requests.length, 3);
  } finally {
    api.close();
    await sidecar.process.stop();
    await standIn.close();
  }
});

proxied.run();

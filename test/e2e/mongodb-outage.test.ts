import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { FerretDb, mongoAvailable } from '../support/mongodb.js';
import type { Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * The MongoDB-wire server dies under load and comes back on the same port and data. The functions run with
 * their default MongoDB timeouts, each as its own process, and are never restarted.
 */

/** The client's own patience: every answer must come back before it runs out. */
const CLIENT_TIMEOUT_MS = 1000;
/** Load loop bounds: acknowledged writes before the kill, 503s per worker after it, requests in all. */
const WRITES_BEFORE_KILL = 20;
const UNAVAILABLE_PER_WORKER = 4;
const MAX_REQUESTS = 400;
const WORKERS = 4;
const RECOVERY_TIMEOUT_MS = 20_000;

interface Outcome {
  readonly status: number | 'client timeout';
  readonly retryAfter: string | null;
}

interface Context {
  ferret: FerretDb;
  create: { url: string; process: Spawned };
  get: { url: string; process: Spawned };
  /** Ids of the documents whose create answered 201, with the data sent. */
  acknowledged: Map<string, { n: number }>;
}

const COLLECTION = 'outage';

async function timed(url: string, method: string, path: string, json?: unknown): Promise<Outcome & { body?: { id?: string } }> {
  try {
    const reply = await fetch(`${url}${path}`, {
      method,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      ...(json !== undefined && { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
    });
    const text = await reply.text();
    return { status: reply.status, retryAfter: reply.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { status: 'client timeout', retryAfter: null };
    throw error;
  }
}

if (mongoAvailable('MongoDB outage', { restartable: true })) {
  const test = suite<Context>('MongoDB outage: the server dies under load and comes back', {} as Context);

  test.before(async (context) => {
    context.ferret = await FerretDb.start();
    const env = { STORE: 'mongodb', MONGODB_URI: context.ferret.uri('outage') };
    context.create = await startFunction('create', env);
    context.get = await startFunction('get', env);
    context.acknowledged = new Map();
  });

  test.after(async ({ ferret, create, get }) => {
    await create?.process.stop();
    await get?.process.stop();
    await ferret?.kill();
  });

  test('when the server is killed mid-load, every request answers 201/200/404 or 503 with Retry-After before the client gives up', async (context) => {
    const { ferret, create, get, acknowledged } = context;
    const outcomes: Outcome[] = [];
    let unavailableAfterKill = 0;
    let sent = 0;
    let n = 0;
    let killed: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      let unavailable = 0;
      while (unavailable < UNAVAILABLE_PER_WORKER && sent++ < MAX_REQUESTS) {
        const wasKilled = killed !== undefined;
        const data = { n: n++ };
        const created = await timed(create.url, 'POST', `/v1/collections/${COLLECTION}/documents`, { data });
        const ids = [...acknowledged.keys()];
        const read = await timed(get.url, 'GET', `/v1/collections/${COLLECTION}/documents/${ids[data.n % Math.max(ids.length, 1)] ?? 'none'}`);
        outcomes.push(created, read);
        if (created.status === 201 && created.body?.id) acknowledged.set(created.body.id, data);
        if (wasKilled && created.status === 503) unavailableAfterKill++;
        if (killed !== undefined && created.status === 503) unavailable++;
        if (acknowledged.size >= WRITES_BEFORE_KILL) killed ??= ferret.kill();
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await killed;
    assert.ok(killed, `the load reached ${WRITES_BEFORE_KILL} acknowledged writes before the kill`);
    assert.ok(unavailableAfterKill >= WORKERS, 'requests sent after the kill answered 503');
    for (const outcome of outcomes) {
      const logs = () => `${create.process.output()}${get.process.output()}`;
      assert.ok([200, 201, 404, 503].includes(outcome.status as number), `answered ${outcome.status}; function logs:\n${logs()}`);
      if (outcome.status === 503) assert.ok(Number(outcome.retryAfter) >= 1, 'a 503 carries Retry-After');
    }
  });

  test('/readyz answers 503 while the server is down', async ({ create, get }) => {
    assert.is((await request(create.url, 'GET', '/readyz')).status, 503);
    assert.is((await request(get.url, 'GET', '/readyz')).status, 503);
  });

  test('after a restart on the same port and data, the same function processes serve again', async ({ ferret, create, get }) => {
    await ferret.start();
    const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
    while ((await timed(create.url, 'GET', '/readyz')).status !== 200) {
      assert.ok(Date.now() < deadline, `create not ready within ${RECOVERY_TIMEOUT_MS} ms of the restart`);
    }
    const created = await request(create.url, 'POST', `/v1/collections/${COLLECTION}/documents`, { json: { id: 'after', data: { back: true } } });
    assert.is(created.status, 201, created.text);
    assert.is((await request(get.url, 'GET', `/v1/collections/${COLLECTION}/documents/after`)).status, 200);
    for (const fn of [create, get]) assert.is(fn.process.child.exitCode, null, 'the function was never restarted');
  });

  test('every write acknowledged before the outage is still there', async ({ get, acknowledged }) => {
    assert.ok(acknowledged.size >= WRITES_BEFORE_KILL);
    for (const [id, data] of acknowledged) {
      const reply = await request(get.url, 'GET', `/v1/collections/${COLLECTION}/documents/${id}`);
      assert.is(reply.status, 200, `${id}: ${reply.text}`);
      assert.equal(reply.body.data, data);
    }
  });

  test.run();
}

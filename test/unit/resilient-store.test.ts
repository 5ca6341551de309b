import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument, type Document } from '../../shared/domain/document.js';
import { DocumentNotFoundError, InterruptedError, UnavailableError, VersionMismatchError } from '../../shared/domain/errors.js';
import type { CreateOutcome, DocumentStore, NewDocument } from '../../shared/domain/ports.js';
import { validateFilter } from '../../shared/domain/query/index.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { createLogger } from '../../shared/runtime/observability/logger.js';
import { createMetrics, type Metrics } from '../../shared/runtime/observability/metrics.js';
import { toProblem } from '../../shared/runtime/http/problem.js';
import { failureMessage, storeResilience, type StoreResilienceOptions } from '../../shared/runtime/store/resilience.js';
import { resilientStore } from '../../shared/runtime/store/resilient-store.js';

/**
 * The policy logic of the resilient store, over a small in-process store whose failures the test scripts.
 * Real stores are exercised through the same decorator by the contract and end-to-end suites.
 */
const T0 = new Date('2026-01-01T00:00:00.000Z');
const DOC = newDocument('c', 'd', { n: 1 }, T0);

type Call = keyof Omit<DocumentStore, 'kind'>;

class ScriptedStore implements DocumentStore {
  readonly kind = 'scripted';
  readonly calls: Call[] = [];
  /** What the next calls throw, in order; once empty, calls succeed. */
  failures: unknown[] = [];
  /** When set, calls wait for it before answering. */
  gate: Promise<void> | undefined;
  /** How long each call takes before it answers. */
  latencyMs = 0;

  async #answer<T>(call: Call, value: T): Promise<T> {
    this.calls.push(call);
    const failure = this.failures.shift();
    if (this.gate) await this.gate;
    if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (failure) throw failure;
    return value;
  }
  create(document: Document) {
    return this.#answer('create', { document, replayed: false });
  }
  createMany(_collection: string, items: readonly NewDocument[]) {
    return this.#answer(
      'createMany',
      items.map(({ document }): CreateOutcome => ({ ok: true, value: { document, replayed: false } })),
    );
  }
  get() {
    return this.#answer('get', DOC);
  }
  replace() {
    return this.#answer('replace', DOC);
  }
  modify() {
    return this.#answer('modify', DOC);
  }
  delete() {
    return this.#answer('delete', DOC);
  }
  query() {
    return this.#answer('query', { documents: [DOC], next: null, stats: { index: null, keysExamined: 0, documentsExamined: 1, durationMs: 0 } });
  }
  count() {
    return this.#answer('count', 1);
  }
  createIndex() {
    return this.#answer('createIndex', true);
  }
  listIndexes() {
    return this.#answer('listIndexes', []);
  }
  dropIndex() {
    return this.#answer('dropIndex', undefined);
  }
  ping() {
    return this.#answer('ping', undefined);
  }
  async close() {}
}

interface Context {
  store: ScriptedStore;
  metrics: Metrics;
  logs: string[];
  open: (env?: Record<string, string>, options?: StoreResilienceOptions) => DocumentStore;
}

const test = suite<Context>('resilient store');

test.before.each((ctx) => {
  ctx.store = new ScriptedStore();
  ctx.metrics = createMetrics('test');
  ctx.logs = [];
  ctx.open = (env = {}, options) => {
    // A retry budget no loaded machine exhausts, unless a test is about the budget.
    const config = loadConfig({ STORE_RETRY_INITIAL_DELAY_MS: '1', STORE_RETRY_MAX_DELAY_MS: '5', STORE_RETRY_BUDGET_MS: '60000', ...env });
    const log = createLogger({ level: 'info', write: (line) => ctx.logs.push(line) });
    return resilientStore(ctx.store, storeResilience(config, ctx.metrics, log, options));
  };
});

const transient = () => new UnavailableError('store down');
const value = async (counter: { get(): Promise<{ values: Array<{ value: number; labels: object }> }> }, labels: object = {}) =>
  (await counter.get()).values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value ?? 0;
const rejection = (promise: Promise<unknown>) => promise.then(() => assert.unreachable('should have failed'), (error: unknown) => error);

test('a get that fails transiently is retried with backoff until it succeeds', async (ctx) => {
  ctx.store.failures = [transient(), transient()];
  const document = await ctx.open({ STORE_RETRY_ATTEMPTS: '2' }).get('c', 'd');
  assert.equal(document, DOC);
  assert.equal(ctx.store.calls, ['get', 'get', 'get']);
  assert.is(await value(ctx.metrics.storeRetries), 2);
});

test('a get that keeps failing gives up after the configured retries with a 503', async (ctx) => {
  ctx.store.failures = Array.from({ length: 5 }, transient);
  const error = await rejection(ctx.open({ STORE_RETRY_ATTEMPTS: '2' }).get('c', 'd'));
  assert.instance(error, UnavailableError);
  assert.is(ctx.store.calls.length, 3);
});

test('query, conditional replace, conditional delete and a create with an Idempotency-Key are retried', async (ctx) => {
  const store = ctx.open();
  ctx.store.failures = [transient()];
  await store.query('c', { filter: validateFilter({}), sort: [], limit: 1 });
  ctx.store.failures = [transient()];
  await store.replace('c', 'd', { data: { n: 2 }, expectedVersion: 1, now: T0 });
  ctx.store.failures = [transient()];
  await store.modify('c', 'd', { transform: () => ({ n: 2 }), expectedVersion: 1, now: T0 });
  ctx.store.failures = [transient()];
  await store.delete('c', 'd', 1);
  ctx.store.failures = [transient()];
  await store.create(DOC, { key: 'k', fingerprint: 'f' });
  assert.equal(ctx.store.calls, ['query', 'query', 'replace', 'replace', 'modify', 'modify', 'delete', 'delete', 'create', 'create']);
});

test('a conditional change retried after a transient failure that then finds the version moved on answers 503, not 412: the first attempt may have been applied', async (ctx) => {
  const store = ctx.open();
  ctx.store.failures = [transient(), new VersionMismatchError('c', 'd', 1, 2)];
  const mismatch = await rejection(store.replace('c', 'd', { data: { n: 2 }, expectedVersion: 1, now: T0 }));
  ctx.store.failures = [transient(), new DocumentNotFoundError('c', 'd')];
  const missing = await rejection(store.delete('c', 'd', 1));
  for (const error of [mismatch, missing]) {
    assert.instance(error, UnavailableError);
    assert.is((error as Error).message, 'the first attempt may have been applied; read the document to see');
  }
  assert.equal(ctx.store.calls, ['replace', 'replace', 'delete', 'delete']);
});

test('a call that has already run STORE_RETRY_BUDGET_MS is not retried: a slow failure answers 503 at once', async (ctx) => {
  ctx.store.latencyMs = 30;
  ctx.store.failures = [transient(), transient()];
  const error = await rejection(ctx.open({ STORE_RETRY_ATTEMPTS: '2', STORE_RETRY_BUDGET_MS: '10' }).get('c', 'd'));
  assert.instance(error, UnavailableError);
  assert.is((error as Error).message, 'store down');
  assert.equal(ctx.store.calls, ['get']);
});

test('an unconditional replace is never retried: repeating it could apply it twice', async (ctx) => {
  ctx.store.failures = [transient()];
  assert.instance(await rejection(ctx.open().replace('c', 'd', { data: { n: 2 }, now: T0 })), UnavailableError);
  assert.equal(ctx.store.calls, ['replace']);
});

test('an unconditional modify is never retried: repeating an $inc could apply it twice', async (ctx) => {
  ctx.store.failures = [transient()];
  assert.instance(await rejection(ctx.open().modify('c', 'd', { transform: () => ({ n: 2 }), now: T0 })), UnavailableError);
  assert.equal(ctx.store.calls, ['modify']);
});

test('an unconditional delete is never retried', async (ctx) => {
  ctx.store.failures = [transient()];
  assert.instance(await rejection(ctx.open().delete('c', 'd', undefined)), UnavailableError);
  assert.equal(ctx.store.calls, ['delete']);
});

test('a create without an Idempotency-Key is never retried', async (ctx) => {
  ctx.store.failures = [transient()];
  assert.instance(await rejection(ctx.open().create(DOC)), UnavailableError);
  assert.equal(ctx.store.calls, ['create']);
});

test('a createMany whose every item claims an Idempotency-Key is retried', async (ctx) => {
  ctx.store.failures = [transient()];
  const outcomes = await ctx.open().createMany('c', [{ document: DOC, idempotency: { key: 'k#0', fingerprint: 'f' } }], true);
  assert.is(outcomes.length, 1);
  assert.equal(ctx.store.calls, ['createMany', 'createMany']);
});

test('a createMany with an item that claims no Idempotency-Key is never retried', async (ctx) => {
  ctx.store.failures = [transient()];
  const items = [{ document: DOC, idempotency: { key: 'k#0', fingerprint: 'f' } }, { document: newDocument('c', 'e', { n: 2 }, T0) }];
  assert.instance(await rejection(ctx.open().createMany('c', items, false)), UnavailableError);
  assert.equal(ctx.store.calls, ['createMany']);
});

test('a domain answer (version mismatch) is neither retried nor counted against the store', async (ctx) => {
  const store = ctx.open({ STORE_BREAKER_THRESHOLD: '1' });
  for (let i = 0; i < 3; i++) {
    ctx.store.failures = [new VersionMismatchError('c', 'd', 1, 2)];
    assert.instance(await rejection(store.replace('c', 'd', { data: { n: 2 }, expectedVersion: 1, now: T0 })), VersionMismatchError);
  }
  assert.is(ctx.store.calls.length, 3);
  assert.is(await value(ctx.metrics.breakerState, { breaker: 'store' }), 0);
});

test('a call that concurrent changes interrupted answers 503 with Retry-After, and is neither retried nor counted against the store', async (ctx) => {
  const store = ctx.open({ STORE_BREAKER_THRESHOLD: '1' });
  for (let i = 0; i < 3; i++) {
    ctx.store.failures = [new InterruptedError("index 'ix' was dropped while the query read it; try again")];
    const error = await rejection(store.query('c', { filter: validateFilter({}), sort: [], limit: 10 }));
    assert.instance(error, InterruptedError);
    const { problem, headers } = toProblem(error);
    assert.is(problem.status, 503);
    assert.is(headers['Retry-After'], '1');
  }
  assert.is(ctx.store.calls.length, 3);
  assert.is(await value(ctx.metrics.breakerState, { breaker: 'store' }), 0);
});

test('after consecutive failures the breaker opens: calls answer 503 with Retry-After without reaching the store', async (ctx) => {
  const store = ctx.open({ STORE_RETRY_ATTEMPTS: '0', STORE_BREAKER_THRESHOLD: '2', STORE_BREAKER_HALF_OPEN_MS: '30000' });
  ctx.store.failures = [transient(), transient()];
  await rejection(store.get('c', 'd'));
  await rejection(store.get('c', 'd'));
  const error = await rejection(store.get('c', 'd'));
  assert.is(ctx.store.calls.length, 2, 'the open breaker kept the third call away from the store');
  assert.instance(error, UnavailableError);
  const { problem, headers } = toProblem(error);
  assert.is(problem.status, 503);
  assert.is(headers['Retry-After'], '30');
  assert.is(await value(ctx.metrics.breakerState, { breaker: 'store' }), 1);
});

test('an open breaker lets one trial call through after its pause; a success closes it (closed → open → half-open → closed)', async (ctx) => {
  const store = ctx.open({ STORE_RETRY_ATTEMPTS: '0', STORE_BREAKER_THRESHOLD: '1', STORE_BREAKER_HALF_OPEN_MS: '20' });
  ctx.store.failures = [transient()];
  await rejection(store.get('c', 'd'));
  const deadline = Date.now() + 5000;
  let answered: Document | null = null;
  while (!answered && Date.now() < deadline) {
    answered = await store.get('c', 'd').catch(() => null);
    if (!answered) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(answered, DOC);
  const transitions = ctx.logs.map((line) => JSON.parse(line)).filter((entry) => entry.breaker === 'store').map((entry) => entry.msg);
  assert.equal(transitions, ['circuit breaker open', 'circuit breaker half-open', 'circuit breaker closed']);
  for (const state of ['open', 'half-open', 'closed']) {
    assert.is(await value(ctx.metrics.breakerTransitions, { breaker: 'store', state }), 1, state);
  }
  assert.is(await value(ctx.metrics.breakerState, { breaker: 'store' }), 0);
});

test('the log line of a breaker that opens names the failure that tripped it, from the bottom of its causes', async (ctx) => {
  const store = ctx.open({ STORE_RETRY_ATTEMPTS: '0', STORE_BREAKER_THRESHOLD: '1' });
  const cause = Object.assign(new Error("ENOENT: no such file or directory, mkdir '/proc/data'"), { code: 'ENOENT' });
  ctx.store.failures = [new UnavailableError('SQLite store unavailable (ENOENT)', 1, { cause })];
  await rejection(store.get('c', 'd'));
  const opened = ctx.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'circuit breaker open');
  assert.is(opened?.error, "ENOENT: no such file or directory, mkdir '/proc/data'");
});

test('a failure logged with a breaker names its error class, and never the user and password of a URL in it', () => {
  class MongoServerSelectionError extends Error {
    override readonly name = 'MongoServerSelectionError';
  }
  const error = new UnavailableError('MongoDB store unavailable', 1, { cause: new MongoServerSelectionError('connect ECONNREFUSED mongodb://app:s3cret@db:27017/x') });
  assert.is(failureMessage(error), 'MongoServerSelectionError: connect ECONNREFUSED mongodb://(credentials)@db:27017/x');
  assert.is(failureMessage('down'), 'down');
});

test('a call slower than STORE_TIMEOUT_MS fails with a 503 that names the timeout', async (ctx) => {
  let release!: () => void;
  ctx.store.gate = new Promise((resolve) => (release = resolve));
  try {
    const error = await rejection(ctx.open({ STORE_TIMEOUT_MS: '20', STORE_RETRY_ATTEMPTS: '0' }).get('c', 'd'));
    assert.instance(error, UnavailableError);
    assert.match((error as Error).message, /within 20 ms/);
  } finally {
    release();
  }
});

test('a call that times out past its retry budget is not retried and fails with the same 503', async (ctx) => {
  let release!: () => void;
  ctx.store.gate = new Promise((resolve) => (release = resolve));
  try {
    const error = await rejection(ctx.open({ STORE_TIMEOUT_MS: '20', STORE_RETRY_ATTEMPTS: '2', STORE_RETRY_BUDGET_MS: '10' }).get('c', 'd'));
    assert.instance(error, UnavailableError);
    assert.match((error as Error).message, /within 20 ms/);
    assert.equal(ctx.store.calls, ['get']);
  } finally {
    release();
  }
});

test('a store without a time limit (in-process) lets a call run past STORE_TIMEOUT_MS', async (ctx) => {
  ctx.store.gate = new Promise((resolve) => setTimeout(resolve, 60));
  const document = await ctx.open({ STORE_TIMEOUT_MS: '20', STORE_RETRY_ATTEMPTS: '0' }, { timeLimit: false }).get('c', 'd');
  assert.equal(document, DOC);
  assert.equal(ctx.store.calls, ['get']);
});

test('the bulkhead runs STORE_MAX_CONCURRENCY calls, queues STORE_MAX_QUEUE more and sheds the rest with 503 + Retry-After', async (ctx) => {
  let release!: () => void;
  ctx.store.gate = new Promise((resolve) => (release = resolve));
  const store = ctx.open({ STORE_MAX_CONCURRENCY: '1', STORE_MAX_QUEUE: '1' });
  const running = store.get('c', 'd');
  const queued = store.get('c', 'd');
  const shed = await rejection(store.get('c', 'd'));
  assert.instance(shed, UnavailableError);
  const { problem, headers } = toProblem(shed);
  assert.is(problem.status, 503);
  assert.is(headers['Retry-After'], '1');
  assert.is(ctx.store.calls.length, 1, 'only one call runs at a time');
  release();
  assert.equal(await Promise.all([running, queued]), [DOC, DOC]);
  assert.is(await value(ctx.metrics.storeCallsShed), 1);
});

test('a readiness probe fails while the breaker is open, and after the pause it is the trial call that closes it', async (ctx) => {
  const store = ctx.open({ STORE_RETRY_ATTEMPTS: '0', STORE_BREAKER_THRESHOLD: '1', STORE_BREAKER_HALF_OPEN_MS: '20' });
  ctx.store.failures = [transient()];
  await rejection(store.get('c', 'd'));
  assert.instance(await rejection(store.ping()), UnavailableError);
  assert.equal(ctx.store.calls, ['get'], 'the open breaker kept the probe away from the store');
  const deadline = Date.now() + 5000;
  while (!(await store.ping().then(() => true, () => false))) {
    assert.ok(Date.now() < deadline, 'a probe got through within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.is(await value(ctx.metrics.breakerState, { breaker: 'store' }), 0);
  assert.equal(await store.get('c', 'd'), DOC);
});

test('a readiness probe takes no bulkhead slot', async (ctx) => {
  let release!: () => void;
  ctx.store.gate = new Promise((resolve) => (release = resolve));
  const store = ctx.open({ STORE_MAX_CONCURRENCY: '1', STORE_MAX_QUEUE: '0' });
  const running = store.get('c', 'd');
  const probed = store.ping();
  release();
  await Promise.all([running, probed]);
  assert.equal(ctx.store.calls, ['get', 'ping']);
});

test.run();

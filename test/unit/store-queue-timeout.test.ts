import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UnavailableError } from '../../shared/domain/errors.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { toProblem } from '../../shared/runtime/http/problem.js';
import { createLogger } from '../../shared/runtime/observability/logger.js';
import { createMetrics, type Metrics } from '../../shared/runtime/observability/metrics.js';
import { storeResilience, type StoreResilience } from '../../shared/runtime/store/resilience.js';

/**
 * STORE_QUEUE_TIMEOUT_MS: a store call that finds every bulkhead slot taken waits at most that long. One slot
 * is held by a call the test releases, so whatever queues behind it can only get a slot when the test says.
 */
interface Context {
  metrics: Metrics;
  resilience: (env: Record<string, string>) => StoreResilience;
  /** Ends the held call; a test calls it once it has checked what happened while the call was held. */
  release: () => void;
  held: Promise<void>;
  /** Ends the held call after 10 s anyway, so a queue that never sheds fails a test instead of hanging it. */
  safety: NodeJS.Timeout;
}

const test = suite<Context>('store queue timeout');

test.before.each((ctx) => {
  ctx.metrics = createMetrics('test');
  ctx.held = new Promise((resolve) => (ctx.release = resolve));
  ctx.safety = setTimeout(ctx.release, 10_000);
  // STORE_TIMEOUT_MS past the safety release, so the held call is never cut short by its own time limit.
  const base = { STORE_MAX_CONCURRENCY: '1', STORE_TIMEOUT_MS: '600000', STORE_RETRY_INITIAL_DELAY_MS: '1', STORE_RETRY_MAX_DELAY_MS: '1' };
  ctx.resilience = (env) =>
    storeResilience(
      loadConfig({ ...base, ...env }),
      ctx.metrics,
      createLogger({ level: 'fatal', write: () => {} }),
    );
});

test.after.each((ctx) => {
  clearTimeout(ctx.safety);
  ctx.release();
});

const rejection = (promise: Promise<unknown>) => promise.then(() => assert.unreachable('should have failed'), (error: unknown) => error);
const shedCount = async (metrics: Metrics) => (await metrics.storeCallsShed.get()).values[0]?.value ?? 0;

test('a queued call answers 503 with Retry-After: 1 once its wait runs out, while the call ahead of it still runs', async (ctx) => {
  const store = ctx.resilience({ STORE_QUEUE_TIMEOUT_MS: '20' });
  let heldEnded = false;
  const first = store.call(false, () => ctx.held).then(() => (heldEnded = true));
  let queuedRan = false;
  const error = await rejection(store.call(false, async () => (queuedRan = true)));
  assert.not.ok(heldEnded, 'the queued call was answered before the call ahead of it ended');
  assert.not.ok(queuedRan, 'the shed call never reached the store');
  assert.instance(error, UnavailableError);
  const { problem, headers } = toProblem(error);
  assert.is(problem.status, 503);
  assert.is(headers['Retry-After'], '1');
  assert.is(await shedCount(ctx.metrics), 1);
  ctx.release();
  await first;
});

test('a call shed from the queue gives its turn to the next queued call', async (ctx) => {
  const store = ctx.resilience({ STORE_QUEUE_TIMEOUT_MS: '20' });
  const first = store.call(false, () => ctx.held);
  let shedRan = false;
  await rejection(store.call(false, async () => (shedRan = true)));
  // Queued behind the shed call; the held call ends at once, and the slot reaches this call before any timer.
  const next = store.call(false, async () => 'served');
  ctx.release();
  assert.is(await next, 'served');
  assert.not.ok(shedRan);
  await first;
});

test('time spent queued does not count against the retry budget', async (ctx) => {
  const store = ctx.resilience({ STORE_QUEUE_TIMEOUT_MS: '60000', STORE_RETRY_BUDGET_MS: '10' });
  const first = store.call(false, () => ctx.held);
  const attempts: number[] = [];
  const queued = store.call(true, async () => {
    attempts.push(attempts.length);
    if (attempts.length === 1) throw new UnavailableError('blip');
    return 'served';
  });
  // Longer than the budget, so a budget counted from the queue would forbid the retry.
  await new Promise((resolve) => setTimeout(resolve, 50));
  ctx.release();
  assert.is(await queued, 'served');
  assert.equal(attempts, [0, 1]);
  await first;
});

test.run();

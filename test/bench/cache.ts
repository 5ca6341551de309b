/**
 * `npm run bench:cache`: the get function bundle alone on loopback, measured in one run:
 *   1. throughput and latency without a cache, with the Redis cache (alternating rounds), and with that
 *      Redis dead (fail open);
 *   2. cold start (spawn → /healthz answers) with and without REDIS_URL.
 * Starts its own redis-server on a free port. Bounded: a few seconds per load phase. Prints figures; the
 * machine is shared, so compare phases of the same run, not runs.
 */
import autocannon from 'autocannon';
import { join } from 'node:path';
import { newDocument } from '../../shared/domain/document.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { metricValue, scrape } from '../support/metrics.js';
import { DIST, freePort, spawnNode, tempDir } from '../support/processes.js';
import { startOwnRedis } from '../support/redis.js';
import { startFunction } from '../support/stack.js';

const DOCS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const data = tempDir('dbsvc-bench-cache');
const redis = await startOwnRedis();
try {
  const db = openSqliteStore({ dataDir: data.path });
  for (let i = 0; i < DOCS; i++) await db.create(newDocument('bench', `d${i}`, { i, name: `document ${i}`, tags: ['a', 'b', 'c'] }, new Date()));
  await db.close();

  const run = (url: string, duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      requests: Array.from({ length: DOCS }, (_, i) => ({ method: 'GET', path: `/v1/collections/bench/documents/d${i}` })),
    });
  const results: Record<string, autocannon.Result[]> = { 'no cache': [], 'Redis cache': [], 'Redis dead (fail open)': [] };
  const plain = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'warn' });
  const cached = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'warn', REDIS_URL: redis.url });
  try {
    // Unrecorded: JIT, SQLite pages and the cache are warm before anything is measured.
    await run(plain.url, 2);
    await run(cached.url, 2);
    // Alternating rounds, so drift in the machine's load falls on both phases alike.
    for (let round = 0; round < ROUNDS; round++) {
      results['no cache']!.push(await run(plain.url, SECONDS));
      results['Redis cache']!.push(await run(cached.url, SECONDS));
    }
    const text = await scrape(cached.url);
    const opened = (exposition: string) => metricValue(exposition, 'circuit_breaker_transitions_total', { breaker: 'redis', state: 'open' });
    console.log(`with Redis up: cache hits ${metricValue(text, 'cache_hits_total')}, misses ${metricValue(text, 'cache_misses_total')}, Redis breaker opened ${opened(text)} time(s)`);
    await redis.kill();
    for (let round = 0; round < ROUNDS; round++) results['Redis dead (fail open)']!.push(await run(cached.url, SECONDS));
    console.log(`after Redis died: Redis breaker opened ${opened(await scrape(cached.url))} time(s) in all`);
    await redis.restart();
  } finally {
    await Promise.all([plain.process.stop(), cached.process.stop()]);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.table(
    Object.entries(results).map(([phase, runs]) => ({
      phase,
      'req/s (median of rounds)': Math.round(median(runs.map((r) => r.requests.average))),
      'req/s each round': runs.map((r) => Math.round(r.requests.average)).join(' / '),
      'p50 ms': median(runs.map((r) => r.latency.p50)),
      'p99 ms': median(runs.map((r) => r.latency.p99)),
      'max ms': Math.max(...runs.map((r) => r.latency.max)),
      'non-2xx + errors': runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    })),
  );

  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    const began = performance.now();
    const child = spawnNode(join(DIST, 'functions', 'get.mjs'), { DATA_DIR: data.path, LOG_LEVEL: 'info', PORT: String(port), ...env });
    let exited = false;
    void child.exited.then(() => (exited = true));
    const deadline = Date.now() + 60_000;
    // Polled every 2 ms (finer than waitUntilReady) so the figure is the start, not the polling interval.
    for (;;) {
      if (exited || Date.now() > deadline) throw new Error(`get bundle did not become healthy:\n${child.output()}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const wall = performance.now() - began;
    const ready = /"start_ms":(\d+)/.exec(child.output());
    await child.stop();
    return { wall, own: Number(ready?.[1] ?? NaN) };
  };
  const starts: Record<string, Array<{ wall: number; own: number }>> = { 'without REDIS_URL': [], 'with REDIS_URL': [] };
  for (let i = 0; i < COLD_STARTS; i++) {
    starts['without REDIS_URL']!.push(await start({}));
    starts['with REDIS_URL']!.push(await start({ REDIS_URL: redis.url }));
  }
  console.table(
    Object.entries(starts).map(([name, runs]) => ({
      'get bundle': name,
      'median spawn→healthz ms': Math.round(median(runs.map((r) => r.wall))),
      'min ms': Math.round(Math.min(...runs.map((r) => r.wall))),
      'median start_ms (own log)': median(runs.map((r) => r.own)),
    })),
  );
} finally {
  await redis.stop();
  data.remove();
}

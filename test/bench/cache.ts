/**
 * `npm run bench:cache`: the get function bundle alone on loopback, measured in one run:
 *   1. throughput and latency without a cache, with the Redis cache, and with that Redis dead (fail open);
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
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 10);

const data = tempDir('dbsvc-bench-cache');
const redis = await startOwnRedis();
try {
  const db = openSqliteStore({ dataDir: data.path });
  for (let i = 0; i < DOCS; i++) await db.create(newDocument('bench', `d${i}`, { i, name: `document ${i}`, tags: ['a', 'b', 'c'] }, new Date()));
  await db.close();

  const rows: Array<Record<string, string | number>> = [];
  const load = async (phase: string, url: string) => {
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: Array.from({ length: DOCS }, (_, i) => ({ method: 'GET', path: `/v1/collections/bench/documents/d${i}` })),
    });
    rows.push({
      phase,
      'req/s': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      'max ms': result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    });
  };

  const plain = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'warn' });
  try {
    await load('no cache', plain.url);
  } finally {
    await plain.process.stop();
  }

  const cached = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'warn', REDIS_URL: redis.url });
  try {
    await load('Redis cache (warming)', cached.url);
    await load('Redis cache', cached.url);
    const text = await scrape(cached.url);
    console.log(`cache hits ${metricValue(text, 'cache_hits_total')}, misses ${metricValue(text, 'cache_misses_total')}`);
    await redis.kill();
    await load('Redis dead (fail open)', cached.url);
    console.log(`Redis breaker opened ${metricValue(await scrape(cached.url), 'circuit_breaker_transitions_total', { breaker: 'redis', state: 'open' })} time(s)`);
    await redis.restart();
  } finally {
    await cached.process.stop();
  }
  console.table(rows);

  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    const began = performance.now();
    const child = spawnNode(join(DIST, 'functions', 'get.mjs'), { DATA_DIR: data.path, LOG_LEVEL: 'info', PORT: String(port), ...env });
    for (;;) {
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
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
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

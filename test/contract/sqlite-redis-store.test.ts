import { newDocument } from '../../shared/domain/document.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import { cachedStore } from '../../shared/infrastructure/cache/cached-store.js';
import { openRedisDocumentCache } from '../../shared/infrastructure/redis/redis-document-cache.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { instrumentStore } from '../../shared/runtime/store/instrumented-store.js';
import { createLogger } from '../../shared/runtime/observability/logger.js';
import { createMetrics, type Metrics } from '../../shared/runtime/observability/metrics.js';
import { redisResilience, storeResilience } from '../../shared/runtime/store/resilience.js';
import { resilientStore } from '../../shared/runtime/store/resilient-store.js';
import { tempDir } from '../support/processes.js';
import { redisReachable, requireServer, TEST_REDIS_URL } from '../support/redis.js';
import { storeContract } from './document-store.contract.js';

/** Resolves once a get is answered from Redis (the cache connects in the background). */
async function cacheInUse(store: DocumentStore, metrics: Metrics): Promise<void> {
  const probe = newDocument('probe', 'cache-in-use', {}, new Date());
  await store.create(probe);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await store.get(probe.collection, probe.id);
    if ((await metrics.cacheHits.get()).values.some((v) => v.value > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the cache was not in use within 10 s');
}

// The store as the get function composes it (runtime/store/store-composition.ts): instrumented, resilient, cached
// in Redis. The decorators must not change a single answer of the contract. Wired here with static imports
// because the composition's lazy import() would load a second copy of the error classes under uvu's require().
if (requireServer(`Redis at ${TEST_REDIS_URL}`, () => redisReachable())) {
  storeContract('SQLite store behind resilience and the Redis cache: store contract', async (options) => {
    const dir = tempDir('dbsvc-contract-redis');
    const config = loadConfig({ DATA_DIR: dir.path, REDIS_URL: TEST_REDIS_URL, REDIS_TIMEOUT_MS: '2000' });
    const metrics = createMetrics('get');
    const log = createLogger({ level: 'fatal', write: () => undefined });
    const resilient = resilientStore(instrumentStore(openSqliteStore({ dataDir: dir.path, ...options }), metrics), storeResilience(config, metrics, log));
    const cache = openRedisDocumentCache({
      url: TEST_REDIS_URL,
      ttlSeconds: config.CACHE_TTL_SECONDS,
      commandTimeoutMs: config.REDIS_TIMEOUT_MS,
      connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
      policy: redisResilience(config, metrics, log),
      log,
    });
    const store = cachedStore(resilient, cache, {
      readThrough: true,
      onHit: () => metrics.cacheHits.inc({ operation: 'get' }),
      onMiss: () => metrics.cacheMisses.inc({ operation: 'get' }),
    });
    await cacheInUse(store, metrics);
    return {
      store,
      cleanup: async () => {
        await store.close();
        dir.remove();
      },
    };
  });
}

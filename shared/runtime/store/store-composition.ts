import type { DocumentStore } from '../../domain/ports.js';
import { cachedStore } from '../../infrastructure/cache/cached-store.js';
import type { Config } from '../config/function-config.js';
import { instrumentStore } from './instrumented-store.js';
import type { Log } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { redisResilience, storeResilience } from './resilience.js';
import { resilientStore } from './resilient-store.js';
import type { FunctionName } from '../http/routes.js';

/**
 * What each function does with the cache. Only `get` answers from it; the functions that change documents
 * keep it coherent but read the store itself (a merge patch reads, then writes conditionally on what it
 * read, and a cached copy could be behind); `query` never touches single documents.
 */
const CACHE_ROLE: Record<FunctionName, 'read-through' | 'coherence' | 'none'> = {
  get: 'read-through',
  create: 'coherence',
  update: 'coherence',
  delete: 'coherence',
  query: 'none',
  indexes: 'none',
};

/**
 * The store a function uses: the configured one (`opened`), decorated from the inside out: instrumented
 * (every real attempt is measured), resilient (bulkhead, retry, breaker, and a timeout for a store across the
 * network), then cached when `REDIS_URL` is set. The Redis client is loaded only then, so a function without a
 * cache never runs it.
 */
export async function composeStore(
  name: FunctionName,
  opened: DocumentStore,
  config: Config,
  metrics: Metrics,
  log: Log,
): Promise<DocumentStore> {
  const resilience = storeResilience(config, metrics, log, { timeLimit: opened.kind !== 'sqlite' });
  const store = resilientStore(instrumentStore(opened, metrics), resilience);
  const role = CACHE_ROLE[name];
  if (!config.REDIS_URL || role === 'none') return store;
  const { openRedisDocumentCache } = await import('../../infrastructure/redis/redis-document-cache.js');
  const cache = openRedisDocumentCache({
    url: config.REDIS_URL,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    commandTimeoutMs: config.REDIS_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    policy: redisResilience(config, metrics, log),
    log,
  });
  return cachedStore(store, cache, {
    readThrough: role === 'read-through',
    onHit: () => metrics.cacheHits.inc({ operation: 'get' }),
    onMiss: () => metrics.cacheMisses.inc({ operation: 'get' }),
  });
}

import { redisReachable, requireServer, TEST_REDIS_URL } from '../support/redis.js';
import { restContract } from './rest-contract.js';

// The whole REST contract again with the Redis cache on: caching must not change a single answer.
if (requireServer(`Redis at ${TEST_REDIS_URL}`, () => redisReachable())) {
  restContract('sqlite + Redis cache', async () => ({ STORE: 'sqlite', REDIS_URL: TEST_REDIS_URL, REDIS_TIMEOUT_MS: '2000' }));
}

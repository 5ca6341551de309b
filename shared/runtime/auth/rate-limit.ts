import { RateLimitedError } from '../../domain/errors.js';

/**
 * A token bucket per principal, per process (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST): each request takes a
 * token; tokens refill at the rate up to the burst. With N replicas the service-wide limit is N times this.
 */
export interface RateLimiterOptions {
  readonly perSecond: number;
  readonly burst: number;
  /** Milliseconds; injectable so tests can move time. */
  readonly now?: () => number;
  /** Most buckets kept: past it idle (full) buckets are dropped, then the oldest, so memory stays bounded. */
  readonly maxBuckets?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  readonly #maxBuckets: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.#maxBuckets = options.maxBuckets ?? 10_000;
  }

  /** Takes a token for `key`, or throws RateLimitedError with the seconds until one is available. */
  take(key: string): void {
    const now = this.#now();
    const { perSecond, burst } = this.options;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxBuckets) this.#makeRoom(now);
      bucket = { tokens: burst, at: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      throw new RateLimitedError(`rate limit of ${perSecond} requests per second exceeded`, (1 - bucket.tokens) / perSecond);
    }
    bucket.tokens -= 1;
  }

  #makeRoom(now: number): void {
    const { perSecond, burst } = this.options;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.#buckets.delete(key);
    }
    if (this.#buckets.size >= this.#maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}

import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { UnavailableError } from '../../domain/errors.js';
import type { Config } from '../config/function-config.js';
import type { Log } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * The resilience policies of a process, built once from configuration (README "Cache and resilience").
 * Outermost first: bulkhead (bounds concurrent store calls, sheds the excess) → retry (idempotent calls
 * only) → circuit breaker → timeout (each attempt, for stores that wait on the network).
 */
export interface StoreResilience {
  /**
   * For a call that is safe to repeat (a read, a conditional change, a create with an Idempotency-Key).
   * One per call: its retries stop once the call has run STORE_RETRY_BUDGET_MS, so a retry mends a blip
   * but never multiplies the wait on a store that is down (that is the breaker's job).
   */
  repeatable(): IPolicy;
  /** For calls that could apply twice if repeated: never retried. */
  readonly once: IPolicy;
  /**
   * Readiness probes: breaker and timeout, no bulkhead slot. Not ready while the breaker is open, and once
   * its pause is over a probe is the trial call that closes it, so recovery needs no user request.
   */
  readonly probe: IPolicy;
  /**
   * A signal to hand each call, or undefined: only the timeout listens on one, and it needs a signal of its own
   * per call, since cockatiel otherwise hangs every in-flight call's listener on one shared signal.
   */
  signal(): AbortSignal | undefined;
  /** Turns a policy's own failure (open circuit, shed, timeout) into the domain's retryable 503. */
  readonly translate: (error: unknown) => unknown;
}

/** A store failure worth another try or worth counting against the store: it could not serve, or too slowly. */
const isTransient = (error: Error): boolean => error instanceof UnavailableError || error instanceof TaskCancelledError;

export interface StoreResilienceOptions {
  /**
   * Whether each attempt gets STORE_TIMEOUT_MS. An in-process store (SQLite) runs its calls on this thread, so
   * no timer can fire during one; there the timeout would only cost its timer and abort signals on every
   * call (about 8 µs, measured in `npm run bench`'s profiles), and could answer 503 for a write that commits.
   */
  readonly timeLimit: boolean;
}

export function storeResilience(
  config: Config,
  metrics: Metrics,
  log: Log,
  { timeLimit }: StoreResilienceOptions = { timeLimit: true },
): StoreResilience {
  const limit = bulkhead(config.STORE_MAX_CONCURRENCY, config.STORE_MAX_QUEUE);
  limit.onReject(() => metrics.storeCallsShed.inc());
  // The default generator is decorrelated jitter, so processes that failed together do not retry together.
  const backoff = new ExponentialBackoff({ initialDelay: config.STORE_RETRY_INITIAL_DELAY_MS, maxDelay: config.STORE_RETRY_MAX_DELAY_MS });
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: config.STORE_BREAKER_HALF_OPEN_MS,
    breaker: new ConsecutiveBreaker(config.STORE_BREAKER_THRESHOLD),
  });
  watchBreaker('store', breaker, metrics, log);
  // abortOnReturn: false, as no store call reads the signal: aborting it after every call builds a DOMException.
  const deadline = timeout(config.STORE_TIMEOUT_MS, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const attempt = (...outer: IPolicy[]) => (timeLimit ? wrap(...outer, deadline) : wrap(...outer));
  const halfOpenSeconds = Math.ceil(config.STORE_BREAKER_HALF_OPEN_MS / 1000);

  return {
    repeatable() {
      const started = performance.now();
      const withinBudget = (error: Error) => isTransient(error) && performance.now() - started < config.STORE_RETRY_BUDGET_MS;
      const retries = retry(handleWhen(withinBudget), { maxAttempts: config.STORE_RETRY_ATTEMPTS, backoff });
      retries.onRetry(() => metrics.storeRetries.inc());
      return attempt(limit, retries, breaker);
    },
    once: attempt(limit, breaker),
    probe: attempt(breaker),
    signal: () => (timeLimit ? new AbortController().signal : undefined),
    translate(error) {
      if (error instanceof BrokenCircuitError) {
        return new UnavailableError('the store is failing; calls are paused while it recovers', halfOpenSeconds, { cause: error });
      }
      if (error instanceof BulkheadRejectedError) {
        return new UnavailableError('too many store calls in progress; try again shortly', 1, { cause: error });
      }
      if (error instanceof TaskCancelledError) {
        return new UnavailableError(`the store did not answer within ${config.STORE_TIMEOUT_MS} ms`, 1, { cause: error });
      }
      return error;
    },
  };
}

/**
 * Redis calls: a breaker that stops calling a Redis that fails. Each command's time limit is ioredis's own
 * `commandTimeout` (REDIS_TIMEOUT_MS), whose rejection the breaker counts like any other failure. No retry:
 * the cache fails open to the store instead, which is always the faster way round a failing cache.
 */
export function redisResilience(config: Config, metrics: Metrics, log: Log): IPolicy {
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: config.REDIS_BREAKER_HALF_OPEN_MS,
    breaker: new ConsecutiveBreaker(config.REDIS_BREAKER_THRESHOLD),
  });
  watchBreaker('redis', breaker, metrics, log);
  return breaker;
}

const STATE_NAMES: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** Every state change shows in `circuit_breaker_state`, `circuit_breaker_transitions_total` and one log line. */
function watchBreaker(name: 'store' | 'redis', breaker: CircuitBreakerPolicy, metrics: Metrics, log: Log): void {
  metrics.breakerState.set({ breaker: name }, breaker.state);
  breaker.onStateChange((state) => {
    const label = STATE_NAMES[state];
    metrics.breakerState.set({ breaker: name }, state);
    metrics.breakerTransitions.inc({ breaker: name, state: label });
    const fields = { breaker: name, state: label };
    if (state === CircuitState.Open) log.warn(`circuit breaker ${label}`, fields);
    else log.info(`circuit breaker ${label}`, fields);
  });
}

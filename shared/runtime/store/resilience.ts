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
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { DocumentNotFoundError, UnavailableError, VersionMismatchError } from '../../domain/errors.js';
import type { Config } from '../config/function-config.js';
import type { Log } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * The resilience policies of a process, built once from configuration (README "Cache and resilience").
 * Outermost first: bulkhead (bounds concurrent store calls, sheds the excess and any call that waits too long
 * for a slot) → retry (idempotent calls only) → circuit breaker → timeout (each attempt, for stores that wait
 * on the network). A policy's own failure (open circuit, shed, timeout) reaches the caller as the domain's
 * retryable 503.
 */
export interface StoreResilience {
  /**
   * Runs one store call. One that is safe to repeat (`repeatable`: a read, a conditional change, a create with
   * an Idempotency-Key) is retried, until the call has run STORE_RETRY_BUDGET_MS since it got its bulkhead slot,
   * so a retry mends a blip but never multiplies the wait on a store that is down (that is the breaker's job);
   * any other is never retried.
   */
  call<T>(repeatable: boolean, work: () => Promise<T>): Promise<T>;
  /**
   * Readiness probes: breaker and timeout, no bulkhead slot. Not ready while the breaker is open, and once
   * its pause is over a probe is the trial call that closes it, so recovery needs no user request.
   */
  probe<T>(work: () => Promise<T>): Promise<T>;
}

/** A store failure worth another try or worth counting against the store: it could not serve, or too slowly. */
const isTransient = (error: unknown): boolean => error instanceof UnavailableError || error instanceof TaskCancelledError;

/**
 * A failure the retry policy must not handle (a transient one once the call's retry budget is spent, or the
 * ambiguous answer of a repeat); the call unwraps it again. So one retry policy serves every call; one built per
 * call to hold its start time cost ~0.4 µs a call.
 */
class NotRetried {
  constructor(readonly failure: unknown) {}
}

/**
 * What a repeated change answers when an earlier attempt of it failed transiently. That attempt may have been
 * applied (a timeout, or a connection lost, after the store received it): the repeat then finds the version moved
 * on or the document gone, which would say the change failed, and a caller that read and applied it again (a
 * bulk update does) would apply it twice.
 */
const mayHaveBeenApplied = (error: unknown): UnavailableError | undefined =>
  error instanceof VersionMismatchError || error instanceof DocumentNotFoundError
    ? new UnavailableError('the first attempt may have been applied; read the document to see', 1, { cause: error })
    : undefined;

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
  const retries = retry(handleWhen(isTransient), { maxAttempts: config.STORE_RETRY_ATTEMPTS, backoff });
  retries.onRetry(() => metrics.storeRetries.inc());
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: config.STORE_BREAKER_HALF_OPEN_MS,
    breaker: new ConsecutiveBreaker(config.STORE_BREAKER_THRESHOLD),
  });
  watchBreaker('store', breaker, metrics, log);
  // abortOnReturn: false, as no store call reads the signal: aborting it after every call builds a DOMException.
  const deadline = timeout(config.STORE_TIMEOUT_MS, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const halfOpenSeconds = Math.ceil(config.STORE_BREAKER_HALF_OPEN_MS / 1000);

  // The policies are nested by hand rather than by `wrap`, which copies a context object at every layer.
  const attempt = <T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
    timeLimit ? breaker.execute(({ signal }) => deadline.execute(work, signal), signal) : breaker.execute(work, signal);
  const translate = (failure: unknown): never => {
    const error = failure instanceof NotRetried ? failure.failure : failure;
    if (error instanceof BrokenCircuitError) {
      throw new UnavailableError('the store is failing; calls are paused while it recovers', halfOpenSeconds, { cause: error });
    }
    if (error instanceof BulkheadRejectedError) {
      throw new UnavailableError('too many store calls in progress; try again shortly', 1, { cause: error });
    }
    if (error instanceof TaskCancelledError) {
      throw new UnavailableError(`the store did not answer within ${config.STORE_TIMEOUT_MS} ms`, 1, { cause: error });
    }
    throw error;
  };
  // Only the timeout listens on a signal, and it needs one of its own per call: cockatiel otherwise hangs every
  // in-flight call's listener on one shared signal. An in-process store gets none.
  const signalOfCall = () => (timeLimit ? new AbortController().signal : undefined);

  // The retry budget starts once the call has its slot: time spent queued says this process is busy, not that
  // the store fails, and the queue has its own bound (STORE_QUEUE_TIMEOUT_MS).
  const retried = <T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
    const started = performance.now();
    let failedBefore = false;
    const budgeted = () =>
      attempt(work, signal).catch((error: unknown) => {
        if (!isTransient(error)) {
          const ambiguous = failedBefore ? mayHaveBeenApplied(error) : undefined;
          throw ambiguous ? new NotRetried(ambiguous) : error;
        }
        failedBefore = true;
        throw performance.now() - started >= config.STORE_RETRY_BUDGET_MS ? new NotRetried(error) : error;
      });
    return retries.execute(budgeted, signal);
  };

  /**
   * A call that must wait for a slot waits at most STORE_QUEUE_TIMEOUT_MS, then answers 503 while it still
   * waits, so an overloaded process sheds in time for its client to retry rather than time out. It stays in
   * cockatiel's queue, and when its turn comes it gives the slot straight to the next in line. Aborting the
   * signal given to the bulkhead would not do: cockatiel reads it only at the call's turn, and then rejects it
   * without starting the next queued call, which waits on with a slot free.
   */
  const queued = <T>(run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let shed = false;
      const timer = setTimeout(() => {
        shed = true;
        metrics.storeCallsShed.inc();
        reject(new UnavailableError(`no store call slot came free within ${config.STORE_QUEUE_TIMEOUT_MS} ms; try again shortly`, 1));
      }, config.STORE_QUEUE_TIMEOUT_MS);
      limit
        .execute(() => {
          if (shed) return undefined;
          clearTimeout(timer);
          return run().then(resolve, reject);
        }, signal)
        // The bulkhead can still shed the call at its turn, if others filled the slot and the queue meanwhile.
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error);
        });
    });
  // Only a call that will queue pays for a timer; one with a free slot, or one the full queue sheds, goes
  // straight to the bulkhead.
  const admit = <T>(run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
    limit.executionSlots > 0 || limit.queueSlots === 0 ? limit.execute(run, signal) : queued(run, signal);

  return {
    call(repeatable, work) {
      const signal = signalOfCall();
      const run = repeatable ? () => retried(work, signal) : () => attempt(work, signal);
      return admit(run, signal).catch(translate);
    },
    probe: (work) => attempt(work, signalOfCall()).catch(translate),
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

/**
 * Every state change shows in `circuit_breaker_state`, `circuit_breaker_transitions_total` and one log line.
 * The line of a break names the failure that tripped it, the one an operator needs (an unusable DATA_DIR, a
 * refused connection), which the callers' 503s leave out.
 */
function watchBreaker(name: 'store' | 'redis', breaker: CircuitBreakerPolicy, metrics: Metrics, log: Log): void {
  metrics.breakerState.set({ breaker: name }, breaker.state);
  // cockatiel reports the break just before the state change it causes.
  let tripped: string | undefined;
  breaker.onBreak((reason) => {
    tripped = 'error' in reason ? failureMessage(reason.error) : undefined;
  });
  breaker.onStateChange((state) => {
    const label = STATE_NAMES[state];
    metrics.breakerState.set({ breaker: name }, state);
    metrics.breakerTransitions.inc({ breaker: name, state: label });
    const fields = { breaker: name, state: label };
    if (state === CircuitState.Open) log.warn(`circuit breaker ${label}`, { ...fields, error: tripped });
    else log.info(`circuit breaker ${label}`, fields);
  });
}

/**
 * What went wrong at the bottom of an error's chain of causes (the system's or the driver's own words), with
 * any user and password of a URL in it left out: log lines never carry a secret.
 */
export function failureMessage(error: unknown): string {
  let deepest = error;
  for (let depth = 0; depth < 8 && deepest instanceof Error && deepest.cause !== undefined; depth++) deepest = deepest.cause;
  const message = !(deepest instanceof Error) ? String(deepest) : deepest.name === 'Error' ? deepest.message : `${deepest.name}: ${deepest.message}`;
  return message.replace(/(\/\/)[^\s/@]*@/g, '$1(credentials)@');
}

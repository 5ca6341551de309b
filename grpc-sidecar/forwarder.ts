import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { setTimeout as delay } from 'node:timers/promises';
import { UnavailableError } from '../shared/domain/errors.js';
import type { Log } from '../shared/runtime/observability/logger.js';
import { inHttpClientSpan } from './rpc-spans.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import type { FunctionClients, FunctionReply, FunctionRequest } from './function-client.js';
import { FunctionCallFailedError } from './grpc-error.js';
import { outcomeOf } from './grpc-status.js';

/** Call metadata passed on to the function as HTTP headers of the same name. */
const PASSED_METADATA = ['traceparent', 'tracestate', 'authorization'] as const;

/** Transport failures after which the request certainly did not take effect, or may safely be sent again. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isTransient(error: unknown): boolean {
  return TRANSIENT_CODES.has((error as { code?: unknown }).code as string);
}

/** A transient failure after the request may have reached the function: only a refused connection proves it did not. */
function mayHaveArrived(error: unknown): boolean {
  return isTransient(error) && (error as { code?: unknown }).code !== 'ECONNREFUSED';
}

/** What a retried guarded change answers when an earlier attempt of it may have been applied (see `guarded`). */
const SUPERSEDED_STATUSES = new Set([404, 412]);

/**
 * A 503 that says the function cannot answer now. Not a query stopped at its time limit (also a 503): run again,
 * it would run as long and stop again.
 */
function isUnavailable(reply: FunctionReply): boolean {
  return outcomeOf(reply.status, reply.text) === 503;
}

/**
 * The pause an unavailable function asks for with Retry-After, in ms; undefined for any other answer, or a 503
 * that names no readable pause. Delay-seconds or an HTTP date, as RFC 9110 allows both.
 */
function pauseAskedBy(reply: FunctionReply): number | undefined {
  if (reply.retryAfter === undefined || !isUnavailable(reply)) return undefined;
  const value = reply.retryAfter.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * A 503 without a pause comes from something standing in for a function that is not there yet (a proxy while
 * it restarts or scales from zero): worth asking again soon. A function's own 503 names a pause.
 */
function namesNoPause(reply: FunctionReply): boolean {
  return isUnavailable(reply) && pauseAskedBy(reply) === undefined;
}

/**
 * Retries for idempotent calls while a function cannot be reached (a restart, a scale from zero): on a 503 that
 * names no pause and on refused or dropped connections, with jittered exponential backoff, for as long as the
 * signal given to `execute` allows (the retry window, cut short by the call's deadline). A 503 that names a
 * pause ends it, for `#withRetries` to weigh.
 */
const RETRY_INITIAL_DELAY_MS = 50;
const retryWhileUnreachable = retry(
  handleWhen(isTransient).orWhenResult((reply) => namesNoPause(reply as FunctionReply)),
  { maxAttempts: Number.POSITIVE_INFINITY, backoff: new ExponentialBackoff({ initialDelay: RETRY_INITIAL_DELAY_MS, maxDelay: 1_000 }) },
);

type Attempt = (context: { attempt: number }) => Promise<FunctionReply>;

/** A call's attempts, numbered in the order sent, the latest timed. */
class Attempts {
  #sent = 0;
  #latestSentAt = 0;

  constructor(private readonly attempt: Attempt) {}

  readonly send = (): Promise<FunctionReply> => {
    this.#latestSentAt = Date.now();
    return this.attempt({ attempt: this.#sent++ });
  };

  /** How long the latest attempt has taken: the best guess at how long another one will. */
  latestTookMs(): number {
    return Date.now() - this.#latestSentAt;
  }
}

const TIMED_OUT = Symbol('timed out');

/**
 * grpc-js times a call's deadline with a timer, which can end it a millisecond or two before `Date.now()` reaches
 * the deadline it reports: a cancel that close to the deadline is the deadline's.
 */
const DEADLINE_CLOCK_SLACK_MS = 5;

export interface ForwarderOptions {
  /** For calls that carry no deadline. */
  readonly defaultTimeoutMs: number;
  /** How long idempotent calls are retried while the function is unavailable. */
  readonly retryWindowMs: number;
}

export interface ForwardOptions {
  /** Safe to send more than once, as it cannot apply twice: get, query, versioned update/delete, keyed create. */
  readonly idempotent: boolean;
  /**
   * A change guarded by a version (update or delete with expected_version). Sent again after its connection
   * dropped, or after the function's own 503 (its store may have applied the change and answered too late), it
   * finds the version moved on (412) or the document gone (404) when the first attempt was applied after all:
   * answering ABORTED or NOT_FOUND then would tell the caller its change failed, and a caller that reads and
   * applies it again would apply it twice. So that answer becomes UNAVAILABLE saying the outcome is unknown.
   */
  readonly guarded?: boolean;
}

/**
 * Sends one gRPC call to its function over HTTP: the call's deadline (or the default timeout) bounds the
 * HTTP exchange, a cancelled call aborts it, and an error answer becomes a FunctionCallFailedError.
 */
export class Forwarder {
  constructor(
    private readonly clients: FunctionClients,
    private readonly log: Log,
    private readonly options: ForwarderOptions,
  ) {}

  async forward(name: FunctionName, request: FunctionRequest, call: ServerUnaryCall<unknown, unknown>, options: ForwardOptions): Promise<FunctionReply> {
    const timeoutMs = this.#timeoutOf(call);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    const cancel = () => controller.abort();
    call.once('cancelled', cancel);
    const withHeaders = { ...request, headers: { ...request.headers, ...passedHeaders(call.metadata) } };
    let lastOutcome = '';
    /** Why an earlier attempt may have been applied, once one may have. */
    let mayBeApplied: string | undefined;
    // Every attempt runs under the call's own signal; the retry window only decides whether to try again.
    const attempt = async ({ attempt }: { attempt: number }): Promise<FunctionReply> => {
      if (attempt > 0) this.log.warn('retrying function call', { function: name, attempt, after: lastOutcome });
      try {
        // Each attempt is a client span; its traceparent (when tracing is on) replaces the caller's passed one.
        const reply = await inHttpClientSpan({ method: request.method, url: () => this.clients.urlOf(name, request.path) }, (traceHeaders) =>
          this.clients.send(name, { ...withHeaders, headers: { ...withHeaders.headers, ...traceHeaders } }, controller.signal),
        );
        lastOutcome = `HTTP ${reply.status}`;
        // A 503 naming a pause is the function's own: it received the change, and its store may have applied it.
        if (pauseAskedBy(reply) !== undefined) mayBeApplied ??= `function '${name}' answered 503 to the change`;
        return reply;
      } catch (error) {
        lastOutcome = String((error as { code?: unknown }).code ?? error);
        if (mayHaveArrived(error)) mayBeApplied ??= `the connection to function '${name}' dropped after the change was sent`;
        throw error;
      }
    };
    try {
      const reply =
        options.idempotent && this.options.retryWindowMs > 0
          ? await this.#withRetries(new Attempts(attempt), controller.signal, Date.now() + timeoutMs)
          : await attempt({ attempt: 0 });
      if (options.guarded && mayBeApplied !== undefined && SUPERSEDED_STATUSES.has(reply.status)) {
        throw new UnavailableError(
          `${mayBeApplied}, and sent again it answered ${reply.status}: the first attempt may have been applied; read the document to see`,
        );
      }
      if (reply.status >= 400) throw FunctionCallFailedError.fromReply(reply);
      return reply;
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) {
        throw new FunctionCallFailedError('timeout', `function '${name}' did not answer within ${timeoutMs} ms`);
      }
      // grpc-js ends a call itself when its deadline passes, often before our own timer: that is a timeout too.
      if (call.cancelled) {
        const pastDeadline = this.#timeoutOf(call) <= DEADLINE_CLOCK_SLACK_MS;
        throw new FunctionCallFailedError(pastDeadline ? 'timeout' : 'cancelled', `the call to function '${name}' ${pastDeadline ? 'passed its deadline' : 'was cancelled'}`);
      }
      if (isTransient(error)) throw new UnavailableError(`function '${name}' is not reachable (${lastOutcome})`, 1, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      call.removeListener('cancelled', cancel);
    }
  }

  /**
   * The first attempt alone; only once it finds the function unavailable do the retry policy and its window
   * come in, so a call that succeeds allocates no timer or signal for them (they showed in the profile).
   *
   * A function that answers 503 with Retry-After is up and has already retried its store within its own
   * budget, and asking again before the pause it named only meets its open circuit breaker. So it is asked
   * once more after that pause, when the pause and another attempt fit in the retry window and the call's
   * deadline; otherwise, or when it answers so again, the caller gets its answer at once: UNAVAILABLE with
   * the function's detail and `retry-after`.
   */
  async #withRetries(attempts: Attempts, signal: AbortSignal, deadlineAt: number): Promise<FunctionReply> {
    let reply: FunctionReply | undefined;
    try {
      reply = await attempts.send();
      if (!isUnavailable(reply)) return reply;
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
    const windowEndsAt = Date.now() + this.options.retryWindowMs;
    const window = AbortSignal.any([signal, AbortSignal.timeout(this.options.retryWindowMs)]);
    if (reply === undefined || namesNoPause(reply)) {
      // The pause the policy would have made before its first retry; like the policy's, not cut short.
      await delay(RETRY_INITIAL_DELAY_MS);
      reply = await retryWhileUnreachable.execute(attempts.send, window);
    }
    const pauseMs = pauseAskedBy(reply);
    if (pauseMs === undefined) return reply;
    // Asking again after the pause ends about an attempt's time later; past the deadline it would only turn the
    // function's answer into DEADLINE_EXCEEDED.
    const retryEndsAt = Date.now() + pauseMs + attempts.latestTookMs();
    if (retryEndsAt >= Math.min(windowEndsAt, deadlineAt)) return reply;
    await delay(pauseMs, undefined, { signal });
    return retryWhileUnreachable.execute(attempts.send, window);
  }

  /** What is left of the call's deadline; a call without one gets the configured default. */
  #timeoutOf(call: ServerUnaryCall<unknown, unknown>): number {
    const deadline = call.getDeadline();
    const at = deadline instanceof Date ? deadline.getTime() : deadline;
    return Number.isFinite(at) ? Math.max(0, at - Date.now()) : this.options.defaultTimeoutMs;
  }
}

function passedHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of PASSED_METADATA) {
    const [value] = metadata.get(key);
    if (typeof value === 'string') headers[key] = value;
  }
  return headers;
}

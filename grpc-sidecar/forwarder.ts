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

/**
 * A 503 that says the function cannot answer now. Not a query stopped at its time limit (also a 503): run again,
 * it would run as long and stop again.
 */
function isUnavailable(reply: FunctionReply): boolean {
  return outcomeOf(reply.status, reply.text) === 503;
}

/**
 * Retries for idempotent calls while a function cannot answer (a restart, a scale from zero): on 503 and on
 * refused or dropped connections, with jittered exponential backoff, for as long as the signal given to
 * `execute` allows (the retry window, cut short by the call's deadline).
 */
const RETRY_INITIAL_DELAY_MS = 50;
const retryWhileUnavailable = retry(
  handleWhen(isTransient).orWhenResult((reply) => isUnavailable(reply as FunctionReply)),
  { maxAttempts: Number.POSITIVE_INFINITY, backoff: new ExponentialBackoff({ initialDelay: RETRY_INITIAL_DELAY_MS, maxDelay: 1_000 }) },
);

type Attempt = (context: { attempt: number }) => Promise<FunctionReply>;

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
    // Every attempt runs under the call's own signal; the retry window only decides whether to try again.
    const attempt = async ({ attempt }: { attempt: number }): Promise<FunctionReply> => {
      if (attempt > 0) this.log.warn('retrying function call', { function: name, attempt, after: lastOutcome });
      try {
        // Each attempt is a client span; its traceparent (when tracing is on) replaces the caller's passed one.
        const reply = await inHttpClientSpan({ method: request.method, url: () => this.clients.urlOf(name, request.path) }, (traceHeaders) =>
          this.clients.send(name, { ...withHeaders, headers: { ...withHeaders.headers, ...traceHeaders } }, controller.signal),
        );
        lastOutcome = `HTTP ${reply.status}`;
        return reply;
      } catch (error) {
        lastOutcome = String((error as { code?: unknown }).code ?? error);
        throw error;
      }
    };
    try {
      const reply =
        options.idempotent && this.options.retryWindowMs > 0 ? await this.#withRetries(attempt, controller.signal) : await attempt({ attempt: 0 });
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
   */
  async #withRetries(attempt: Attempt, signal: AbortSignal): Promise<FunctionReply> {
    try {
      const reply = await attempt({ attempt: 0 });
      if (!isUnavailable(reply)) return reply;
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
    const window = AbortSignal.any([signal, AbortSignal.timeout(this.options.retryWindowMs)]);
    // The pause the policy would have made before its first retry; like the policy's, not cut short.
    await delay(RETRY_INITIAL_DELAY_MS);
    return retryWhileUnavailable.execute(({ attempt: n }) => attempt({ attempt: n + 1 }), window);
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

import Counter from 'prom-client/lib/counter.js';
import Gauge from 'prom-client/lib/gauge.js';
import Histogram from 'prom-client/lib/histogram.js';
import Registry from 'prom-client/lib/registry.js';

/**
 * The metric names of docs/api.md "Observability" plus the in-flight and cold-start gauges. Labels are
 * bounded: route templates, never raw paths; known methods only; no collection or id from user input. Every
 * series carries `function` so the gateway can merge them.
 */
export interface Metrics extends HttpMetrics {
  readonly registry: Registry;
  readonly httpInFlight: Gauge;
  readonly dbOperations: Counter<'operation' | 'store' | 'outcome'>;
  readonly dbDuration: Histogram<'operation' | 'store' | 'outcome'>;
  readonly cacheHits: Counter<'operation'>;
  readonly cacheMisses: Counter<'operation'>;
  /** Seconds from process start until the server listened; set once at ready. */
  readonly coldStart: Gauge;
  /** The Prometheus text of every series. */
  exposition(): Promise<string>;
  /** 0 closed, 1 open, 2 half-open (cockatiel's CircuitState numbering). */
  readonly breakerState: Gauge<'breaker'>;
  readonly breakerTransitions: Counter<'breaker' | 'state'>;
  readonly storeRetries: Counter;
  readonly storeCallsShed: Counter;
}

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface HttpMetrics {
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * The two HTTP series, registered on `registry`: the functions' and the local gateway's (for what it answers
 * itself) are named and labelled alike, so they merge into one family each.
 */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const registers = [registry];
  return {
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response ready.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

export function createMetrics(functionName: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ function: functionName });
  const registers = [registry];
  let defaults: Promise<unknown> | undefined;
  return {
    registry,
    // Node's default process metrics cost ~20 ms to set up, so they start with the first scrape, not at start
    // (the process CPU counters count from then; rate() is unaffected).
    async exposition() {
      defaults ??= import('prom-client/lib/defaultMetrics.js').then(({ default: collect }) => collect({ register: registry }));
      await defaults;
      return registry.metrics();
    },
    ...createHttpMetrics(registry),
    httpInFlight: new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being served right now.', registers }),
    dbOperations: new Counter({
      name: 'db_operations_total',
      help: 'Store operations, by operation, store and outcome.',
      labelNames: ['operation', 'store', 'outcome'],
      registers,
    }),
    dbDuration: new Histogram({
      name: 'db_operation_duration_seconds',
      help: 'Store operation latency.',
      labelNames: ['operation', 'store', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    cacheHits: new Counter({ name: 'cache_hits_total', help: 'Reads answered from the cache.', labelNames: ['operation'], registers }),
    cacheMisses: new Counter({ name: 'cache_misses_total', help: 'Reads the cache could not answer.', labelNames: ['operation'], registers }),
    coldStart: new Gauge({
      name: 'function_cold_start_seconds',
      help: 'Seconds from process start until the function served its port.',
      registers,
    }),
    breakerState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state by dependency: 0 closed, 1 open, 2 half-open.',
      labelNames: ['breaker'],
      registers,
    }),
    breakerTransitions: new Counter({
      name: 'circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes, by dependency and the state entered.',
      labelNames: ['breaker', 'state'],
      registers,
    }),
    storeRetries: new Counter({ name: 'store_retries_total', help: 'Store calls repeated after a transient failure.', registers }),
    storeCallsShed: new Counter({
      name: 'store_calls_shed_total',
      help: 'Store calls refused because the process already runs and queues as many as it may, or that waited STORE_QUEUE_TIMEOUT_MS for a slot.',
      registers,
    }),
  };
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** A request method as a bounded label: any method HTTP does not define counts as `_OTHER` (as OTel does). */
export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

/**
 * The labels of a request Node's HTTP parser refused (headers too large, not HTTP, too slow): no listener saw it,
 * so it has no method or route of its own. Counted in `http_requests_total` only, as it has no duration to observe.
 */
export function refusedLabels(status: number): { method: string; route: string; status: string } {
  return { method: '_OTHER', route: 'unmatched', status: String(status) };
}

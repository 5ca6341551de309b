import autocannon from 'autocannon';
import { createHistogram } from 'node:perf_hooks';

/** What one load run sends: a default request, optionally customised per connection. */
export interface LoadSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Called once per connection with its index (0-based): its own request, its own response handling. */
  readonly setupClient?: (client: autocannon.Client, index: number) => void;
}

export interface LoadResult {
  /** Responses received in the measured window. */
  readonly completed: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Responses by status code, e.g. `{ "200": 51234 }`. */
  readonly statusCounts: Readonly<Record<string, number>>;
}

/** The header block autocannon's HTTP parser hands to a client's `headers` listener. */
export interface ResponseHead {
  readonly statusCode: number;
  /** Flat name/value pairs as received. */
  readonly headers: readonly string[];
}

/** One value of a response head, by case-insensitive name. */
export function headerOf(head: ResponseHead, name: string): string | undefined {
  for (let i = 0; i < head.headers.length; i += 2) {
    if (head.headers[i]!.toLowerCase() === name) return head.headers[i + 1];
  }
  return undefined;
}

export interface LoadWindow {
  readonly connections: number;
  /** Seconds of load before measuring: connections are opened and the process warms up. */
  readonly warmupSeconds: number;
  /** Seconds measured, on the same connections, right after the warm-up. */
  readonly durationSeconds: number;
  /** Called when measuring starts (e.g. to read the server's CPU time). */
  readonly onMeasureStart?: () => void;
}

const TIMEOUT_MESSAGE = 'request timed out';

/**
 * Keeps `connections` keep-alive connections busy against one loopback server, one request in flight each
 * (no pipelining), and measures only after the warm-up: steady state on connections already open, so neither
 * connection set-up nor the first requests of a cold process count. Latency percentiles cover every response
 * measured, 2xx or not, from Node's own HDR histogram (autocannon reports no p95); errors include timeouts,
 * as autocannon counts them.
 */
export async function runLoad(url: string, spec: LoadSpec, window: LoadWindow): Promise<LoadResult> {
  const latencyMicros = createHistogram();
  const statusCounts: Record<string, number> = {};
  let measuring = false;
  let measureStarted = 0;
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let nextClient = 0;
  const options: autocannon.Options = {
    url,
    connections: window.connections,
    duration: window.warmupSeconds + window.durationSeconds,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    requests: [{ method: spec.method, path: spec.path }],
    setupClient: spec.setupClient ? (client) => spec.setupClient!(client, nextClient++) : undefined,
  };
  const startMeasuring = () => {
    window.onMeasureStart?.();
    measureStarted = performance.now();
    measuring = true;
  };
  await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    if (window.warmupSeconds > 0) setTimeout(startMeasuring, window.warmupSeconds * 1000).unref();
    else startMeasuring();
    instance.on('response', (_client, status, _bytes, responseTimeMs) => {
      if (!measuring) return;
      completed++;
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      latencyMicros.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
    instance.on('reqError', (error: Error) => {
      if (!measuring) return;
      errors++;
      if (error?.message === TIMEOUT_MESSAGE) timeouts++;
    });
  });
  const seconds = (performance.now() - measureStarted) / 1000;
  const ms = (p: number) => (completed === 0 ? Number.NaN : latencyMicros.percentile(p) / 1000);
  const non2xx = Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith('2') ? sum : sum + count), 0);
  return {
    completed,
    requestsPerSecond: completed / seconds,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    errors,
    timeouts,
    non2xx,
    statusCounts,
  };
}

import autocannon from 'autocannon';
import { createHistogram } from 'node:perf_hooks';

/** What one load run sends: a default request, optionally customised per connection. */
export interface LoadSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Called once per connection with its index (0-based): its own request, its own response handling. */
  readonly setupClient?: (client: autocannon.Client, index: number) => void;
}

export interface LoadResult {
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

/**
 * Keeps `connections` keep-alive connections busy for `durationSeconds` against one loopback server, one
 * request in flight each (no pipelining). Latency percentiles cover every response, 2xx or not, from
 * Node's own HDR histogram, since autocannon reports no p95.
 */
export async function runLoad(url: string, spec: LoadSpec, connections: number, durationSeconds: number): Promise<LoadResult> {
  const latencyMicros = createHistogram();
  let nextClient = 0;
  const options: autocannon.Options = {
    url,
    connections,
    duration: durationSeconds,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    requests: [{ method: spec.method, path: spec.path }],
    setupClient: spec.setupClient ? (client) => spec.setupClient!(client, nextClient++) : undefined,
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latencyMicros.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  const statusCounts: Record<string, number> = {};
  let completed = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[code] = stat.count ?? 0;
    completed += stat.count ?? 0;
  }
  const ms = (p: number) => (completed === 0 ? Number.NaN : latencyMicros.percentile(p) / 1000);
  return {
    requestsPerSecond: completed / result.duration,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
  };
}

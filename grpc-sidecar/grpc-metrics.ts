import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_BUCKETS } from '../shared/runtime/observability/metrics.js';

/**
 * The sidecar's Prometheus metrics: gRPC server metrics under the names Grafana's gRPC dashboards and
 * go-grpc-prometheus use, plus Node's process metrics, every series labelled `function="grpc-sidecar"` so the
 * local gateway merges them with the functions'. Labels are bounded: the proto's services, methods and codes.
 */
export interface GrpcMetrics {
  readonly registry: Registry;
  readonly handled: Counter<'grpc_type' | 'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly handling: Histogram<'grpc_type' | 'grpc_service' | 'grpc_method'>;
}

export function createGrpcMetrics(): GrpcMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ function: 'grpc-sidecar' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    handled: new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls completed, by service, method and status code.',
      labelNames: ['grpc_type', 'grpc_service', 'grpc_method', 'grpc_code'],
      registers,
    }),
    handling: new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Time from a gRPC call received to its answer, forwarding to the function included.',
      labelNames: ['grpc_type', 'grpc_service', 'grpc_method'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** Counts one finished unary call; `path` is the call's `/package.Service/Method`. */
export function observeUnaryCall(metrics: GrpcMetrics, path: string, code: string, seconds: number): void {
  const slash = path.lastIndexOf('/');
  const labels = { grpc_type: 'unary', grpc_service: path.slice(1, slash), grpc_method: path.slice(slash + 1) };
  metrics.handled.inc({ ...labels, grpc_code: code });
  metrics.handling.observe(labels, seconds);
}

/**
 * Plain HTTP on `port` of `host` (0 picks a free port; no host: every interface): `GET /metrics` in Prometheus text, and the probes the kubelet and
 * Compose use: `/healthz` (200 while the process serves) and `/readyz` (200 while grpc.health.v1 reports
 * SERVING, 503 otherwise, e.g. while draining). The kubelet's own gRPC probe speaks plaintext only, so with
 * TLS on the gRPC port these are what keeps probing working. Anything else is a 404.
 */
export async function serveMetrics(metrics: GrpcMetrics, port: number, host: string | undefined, serving: () => boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (req.method === 'GET' && req.url === '/readyz') {
      const ready = serving();
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'SERVING' : 'NOT_SERVING');
      return;
    }
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname, resolve } from 'node:path';
import type { SidecarConfig } from '../shared/runtime/config/sidecar-config.js';
import { grpcServerSecurity, type GrpcServerSecurity } from './grpc-tls.js';
import { addHealthService } from './health-service.js';
import type { Log } from '../shared/runtime/observability/logger.js';
import { documentServiceHandlers } from './document-service.js';
import { FunctionClients } from './function-client.js';
import { createGrpcMetrics, serveMetrics } from './grpc-metrics.js';
import { Forwarder } from './forwarder.js';
import { DOCUMENT_SERVICE, loadDocumentServiceProto, PROTO_LOADER_OPTIONS } from './proto.js';
import { FunctionReadiness } from './readiness.js';
import { addReflection } from './reflection.js';

export interface RunningSidecar {
  readonly port: number;
  /** Where `GET /metrics` answers (plain HTTP). */
  readonly metricsPort: number;
  readonly security: GrpcServerSecurity['mode'];
  /** Stops accepting calls, lets in-flight calls finish (cut off after `timeoutMs`), closes the pools. */
  shutdown(timeoutMs: number): Promise<'drained' | 'forced'>;
}

/**
 * The sidecar's gRPC server: DocumentService forwarding to the functions, grpc.health.v1.Health following
 * their readiness, and server reflection over both (so grpcurl needs no .proto file); its metrics and HTTP
 * probes (mirroring the health service) on GRPC_METRICS_PORT. A port that cannot be bound rejects with an
 * error naming its variable.
 */
export async function startSidecar(config: SidecarConfig, log: Log): Promise<RunningSidecar> {
  const { definition, proto } = loadDocumentServiceProto();
  const clients = new FunctionClients(config.functionUrls);
  const forwarder = new Forwarder(clients, log, {
    defaultTimeoutMs: config.GRPC_DEFAULT_TIMEOUT_SECONDS * 1000,
    retryWindowMs: config.GRPC_RETRY_SECONDS * 1000,
  });

  const security = grpcServerSecurity(config);
  const server = new grpc.Server();
  const metrics = createGrpcMetrics();
  server.addService(proto.dbsvc.v1.DocumentService.service, documentServiceHandlers(forwarder, log, metrics));
  // '' is the server as a whole, which clients ask about when they name no service.
  const healthServices = ['', DOCUMENT_SERVICE];
  const health = new HealthImplementation(Object.fromEntries(healthServices.map((name) => [name, 'NOT_SERVING'])));
  const endWatches = addHealthService(server, health, healthServices);
  const healthDefinition = loadSync('health/v1/health.proto', {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [resolve(dirname(healthProtoPath), '../..')],
  });
  addReflection(server, { ...definition, ...healthDefinition });

  const port = await new Promise<number>((resolvePort, reject) =>
    server.bindAsync(`${bindHost(config.HOST)}:${config.GRPC_PORT}`, security.credentials, (error, bound) =>
      error ? reject(new Error(`GRPC_PORT ${config.GRPC_PORT}: ${error.message}`)) : resolvePort(bound),
    ),
  );
  const readiness = new FunctionReadiness(clients, health, [DOCUMENT_SERVICE], log, config.GRPC_READINESS_POLL_SECONDS * 1000);
  const metricsEndpoint = await serveMetrics(metrics, config.GRPC_METRICS_PORT, config.HOST, () => readiness.serving).catch((error: Error) => {
    server.forceShutdown();
    throw new Error(`GRPC_METRICS_PORT ${config.GRPC_METRICS_PORT}: ${error.message}`);
  });
  readiness.start();

  return {
    port,
    metricsPort: metricsEndpoint.port,
    security: security.mode,
    async shutdown(timeoutMs) {
      // Watchers see NOT_SERVING, then their streams end: only calls that do work are waited for.
      readiness.stop();
      endWatches();
      const outcome = await new Promise<'drained' | 'forced'>((resolveOutcome) => {
        const forced = setTimeout(() => {
          server.forceShutdown();
          resolveOutcome('forced');
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(forced);
          resolveOutcome('drained');
        });
      });
      await Promise.all([clients.close(), metricsEndpoint.close()]);
      return outcome;
    },
  };
}

/** gRPC's form of a listen address: every interface when unset, an IPv6 literal in brackets. */
function bindHost(host: string | undefined): string {
  if (!host) return '0.0.0.0';
  return host.includes(':') ? `[${host}]` : host;
}

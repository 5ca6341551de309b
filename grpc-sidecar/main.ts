import { ConfigError } from '../shared/runtime/config/environment.js';
import { loadSidecarConfig } from '../shared/runtime/config/sidecar-config.js';
import { drainOnSignals } from '../shared/runtime/lifecycle.js';
import { createLogger } from '../shared/runtime/observability/logger.js';
import { startTracing } from '../shared/runtime/observability/tracing.js';
import { reportListening } from '../shared/runtime/startup/listening-report.js';
import { startSidecar } from './server.js';

/**
 * The gRPC sidecar's process: validated config, tracing when configured, the server on GRPC_PORT, and a
 * graceful stop on SIGTERM or SIGINT (health NOT_SERVING, no new calls, in-flight calls finish, buffered spans
 * are exported, exit within SHUTDOWN_TIMEOUT_SECONDS).
 */
let config;
try {
  config = loadSidecarConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`grpc-sidecar: ${error.message}\n`);
  process.exit(1);
}
const log = createLogger({ level: config.LOG_LEVEL, base: { component: 'grpc-sidecar' } });
const tracing = await startTracing(config, 'dbsvc-grpc-sidecar', log);

let sidecar;
try {
  sidecar = await startSidecar(config, log);
} catch (error) {
  const reason = error instanceof ConfigError ? error.message : `cannot listen: ${(error as Error).message}`;
  process.stderr.write(`grpc-sidecar: ${reason}\n`);
  process.exit(1);
}
log.info('grpc sidecar ready', {
  port: sidecar.port,
  metrics_port: sidecar.metricsPort,
  security: sidecar.security,
  tracing: tracing.enabled,
  start_ms: Math.round(performance.now()),
});
reportListening({ grpc: sidecar.port, metrics: sidecar.metricsPort });

drainOnSignals({
  log,
  timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
  stop: async (timeLeftMs) => {
    const outcome = await sidecar.shutdown(config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    if (outcome === 'forced') throw new Error('shutdown timed out; calls still in flight were cancelled');
    // A collector that is down or hangs costs the buffered spans, not the exit code.
    await tracing.shutdown(timeLeftMs());
  },
});

import { ConfigError, loadSidecarConfig } from '../shared/runtime/config.js';
import { createLogger } from '../shared/runtime/logger.js';
import { startSidecar } from './server.js';

/**
 * The gRPC sidecar's process: validated config, the server on GRPC_PORT, and a graceful stop on SIGTERM or
 * SIGINT (health NOT_SERVING, no new calls, in-flight calls finish, exit within SHUTDOWN_TIMEOUT_SECONDS).
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

let sidecar;
try {
  sidecar = await startSidecar(config, log);
} catch (error) {
  const reason = error instanceof ConfigError ? error.message : `cannot listen on port ${config.GRPC_PORT}: ${(error as Error).message}`;
  process.stderr.write(`grpc-sidecar: ${reason}\n`);
  process.exit(1);
}
log.info('grpc sidecar ready', { port: sidecar.port, security: sidecar.security, start_ms: Math.round(performance.now()) });

const shutdownMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
const stop = async (signal: string) => {
  log.info('shutting down', { signal });
  const outcome = await sidecar.shutdown(shutdownMs);
  if (outcome === 'forced') log.error('shutdown timed out; calls still in flight were cancelled');
  else log.info('stopped');
  process.exit(outcome === 'forced' ? 1 : 0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));

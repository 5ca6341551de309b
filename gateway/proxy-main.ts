import { ConfigError } from '../shared/runtime/config/environment.js';
import { loadGatewayConfig } from '../shared/runtime/config/gateway-config.js';
import { drainOnSignals } from '../shared/runtime/lifecycle.js';
import { createLogger } from '../shared/runtime/observability/logger.js';
import { FUNCTION_NAMES } from '../shared/runtime/http/routes.js';
import { createGatewayServer } from './gateway-server.js';
import { LISTEN_BACKLOG } from '../shared/runtime/http/http-server.js';

/**
 * The gateway alone (dist/gateway.mjs), for functions that run elsewhere: compose.yaml runs each function in
 * its own container, and this serves the whole REST API, /readyz, the merged /metrics and /docs on PORT,
 * forwarding each route to its function at FUNCTION_URL_<OP> (the variables the gRPC sidecar reads too).
 * `npm start` uses gateway/main.ts instead, which also starts the functions as local processes.
 */
let config;
try {
  config = loadGatewayConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`gateway: ${error.message}\n`);
  process.exit(1);
}
const log = createLogger({ level: config.LOG_LEVEL, base: { component: 'gateway' } });
const urls = config.functionUrls;
const server = createGatewayServer(
  { names: FUNCTION_NAMES, resolve: async (name) => urls[name], current: (name) => urls[name] },
  { api: { authMode: config.AUTH_MODE, queryMaxTimeMs: config.QUERY_MAX_TIME_MS }, corsOrigins: config.CORS_ORIGINS, timeoutSeconds: config.GATEWAY_TIMEOUT_SECONDS },
);
server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
server.once('error', (error) => {
  process.stderr.write(`gateway: PORT ${config.PORT}: ${error.message}\n`);
  process.exit(1);
});
await new Promise<void>((resolve) => server.once('listening', resolve));
log.info('gateway ready', { port: (server.address() as { port: number }).port, functions: JSON.stringify(urls) });

drainOnSignals({
  log,
  timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
  stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
});

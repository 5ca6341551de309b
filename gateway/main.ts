import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../shared/runtime/config/environment.js';
import { AUTH_OFF_WARNING } from '../shared/runtime/config/function-config.js';
import { loadLocalStackConfig } from '../shared/runtime/config/local-stack-config.js';
import { FUNCTION_NAMES, type FunctionName } from '../shared/runtime/http/routes.js';
import { FunctionFleet } from './function-fleet.js';
import type { Upstreams } from './gateway-app.js';
import { createGatewayServer } from './gateway-server.js';
import { closeServer, LISTEN_BACKLOG } from '../shared/runtime/http/http-server.js';
import { scaleToZero } from './scale-to-zero.js';
import { reachableHost } from './reachable-host.js';
import { SidecarProcess } from './sidecar-process.js';
import { createLogger } from '../shared/runtime/observability/logger.js';

/**
 * `npm start`: every function as its own process on the shared SQLite file (as Knative would run them), the
 * gRPC sidecar on GRPC_PORT in front of them, and the gateway that serves the whole REST API on PORT. With
 * SCALE_TO_ZERO=1 no function runs until a request needs it and an idle one stops again, so cold starts show
 * locally; the sidecar then calls the functions through the gateway, as it calls Knative's activator.
 * Ctrl-C stops everything cleanly.
 */
let config;
try {
  config = loadLocalStackConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`local stack: ${error.message}\n`);
  process.exit(1);
}

// The gateway and the sidecar listen on loopback unless HOST says otherwise: auth is off by default.
const host = config.HOST || '127.0.0.1';
const bundle = (name: FunctionName) => fileURLToPath(new URL(`./functions/${name}.mjs`, import.meta.url));
const fleet = new FunctionFleet({
  bundle,
  // The functions answer the gateway and the sidecar only.
  env: { ...process.env, HOST: '127.0.0.1' },
  onLine: (_name, line) => process.stdout.write(`${line}\n`),
  // Scaled to zero, the sidecar reaches the functions through the gateway and holds no function's URL.
  keepPorts: !config.SCALE_TO_ZERO,
});

const log = createLogger({ level: config.LOG_LEVEL, base: { component: 'gateway' } });
const upstreams: Upstreams = config.SCALE_TO_ZERO
  ? scaleToZero(fleet, FUNCTION_NAMES, config.SCALE_TO_ZERO_IDLE_SECONDS, log)
  : { names: FUNCTION_NAMES, resolve: async (name) => fleet.url(name)!, current: (name) => fleet.url(name) };

const server = createGatewayServer(upstreams, {
  companions: [{ name: 'grpc-sidecar', probe: () => sidecar.probe(), metricsUrl: () => sidecar.metricsUrl }],
  api: { authMode: config.AUTH_MODE, queryMaxTimeMs: config.QUERY_MAX_TIME_MS },
  corsOrigins: config.CORS_ORIGINS,
  timeoutSeconds: config.GATEWAY_TIMEOUT_SECONDS,
});
const gatewayPort = () => (server.address() as AddressInfo).port;
const sidecar = new SidecarProcess({
  bundle: fileURLToPath(new URL('./grpc-sidecar.mjs', import.meta.url)),
  port: config.GRPC_PORT,
  host,
  functionUrls: () =>
    Object.fromEntries(
      FUNCTION_NAMES.map((name) => [name, config.SCALE_TO_ZERO ? `http://${reachableHost(host)}:${gatewayPort()}` : fleet.url(name)!]),
    ) as Record<FunctionName, string>,
  // Polling the functions' readiness would keep scaled-to-zero functions awake (as it would on Knative).
  env: { ...process.env, HOST: host, ...(config.SCALE_TO_ZERO ? { GRPC_READINESS_POLL_SECONDS: '0' } : {}) },
  onLine: (line) => process.stdout.write(`${line}\n`),
  onExit: (code, signal) => log.error('grpc sidecar exited; starting it again', { code, signal }),
});

// Handled before any child starts, so a signal at any moment stops every child started so far.
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('stopping…\n');
  // The gateway first: the functions keep running until it has answered every request it accepted.
  if (server.listening) await Promise.race([closeServer(server), new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_TIMEOUT_SECONDS * 1000))]);
  await Promise.all([sidecar.stop(), fleet.stopAll()]);
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  if (!config.SCALE_TO_ZERO) await Promise.all(FUNCTION_NAMES.map((name) => fleet.start(name)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`PORT ${config.PORT}: ${error.message}`)));
    server.listen({ port: config.PORT, host, backlog: LISTEN_BACKLOG }, resolve);
  });
  await sidecar.start();
} catch (error) {
  // Stopping already: a start cut short by it is no failure, and stop() exits.
  if (!stopping) {
    process.stderr.write(`local stack: ${(error as Error).message}\n`);
    void stop(1);
  }
  await new Promise(() => undefined);
}
const port = gatewayPort();

const banner = [
  '',
  `Database Service is up (store: ${config.STORE}${config.STORE === 'sqlite' ? `, file under ${config.DATA_DIR}` : ''})`,
  `  REST API   http://${reachableHost(host)}:${port}/v1/collections/{collection}/documents`,
  `  API docs   http://${reachableHost(host)}:${port}/docs   (OpenAPI: /openapi.json)`,
  `  probes     http://${reachableHost(host)}:${port}/healthz  /readyz  /metrics`,
  `  gRPC       ${sidecar.address!}   (dbsvc.v1.DocumentService; try: grpcurl -plaintext ${sidecar.address!} list)`,
  ...FUNCTION_NAMES.map((name) => `  function   ${name.padEnd(7)} ${fleet.url(name) ?? '(starts on its first request)'}`),
  `  auth       ${config.AUTH_MODE}${config.RATE_LIMIT_PER_SECOND ? `, rate limit ${config.RATE_LIMIT_PER_SECOND}/s per caller` : ''}`,
  ...(config.AUTH_MODE === 'none' ? ['', `  !!! WARNING: ${AUTH_OFF_WARNING}.`, '  !!! For anything but local development set AUTH_MODE=apikey or jwt (see docs/security.md).'] : []),
  ...(config.SCALE_TO_ZERO
    ? [`Scale to zero: each function starts on its first request and stops after ${config.SCALE_TO_ZERO_IDLE_SECONDS} s idle.`]
    : []),
  'Press Ctrl-C to stop.',
  '',
];
process.stderr.write(banner.join('\n'));

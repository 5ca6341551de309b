import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AUTH_OFF_WARNING, ConfigError, loadConfig } from '../shared/runtime/config.js';
import { FUNCTION_NAMES, type FunctionName } from '../shared/runtime/routes.js';
import { freePort } from './free-port.js';
import { FunctionFleet } from './function-fleet.js';
import { createGatewayApp, type Upstreams } from './gateway-app.js';
import { SidecarProcess } from './sidecar-process.js';

/**
 * `npm start`: every function as its own process on the shared SQLite file (as Knative would run them), the
 * gRPC sidecar on GRPC_PORT in front of them, and the gateway that serves the whole REST API on PORT.
 * Ctrl-C stops everything cleanly.
 */
let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`local stack: ${error.message}\n`);
  process.exit(1);
}

const bundle = (name: FunctionName) => fileURLToPath(new URL(`./functions/${name}.mjs`, import.meta.url));
const fleet = new FunctionFleet({
  bundle,
  env: { ...process.env },
  onLine: (_name, line) => process.stdout.write(`${line}\n`),
});
for (const name of FUNCTION_NAMES) fleet.add(name, await freePort());

const upstreams: Upstreams = {
  names: FUNCTION_NAMES,
  resolve: async (name) => fleet.member(name).url,
  current: (name) => fleet.member(name).url,
};

await Promise.all(FUNCTION_NAMES.map((name) => fleet.start(name)));
const sidecar = new SidecarProcess({
  bundle: fileURLToPath(new URL('./grpc-sidecar.mjs', import.meta.url)),
  port: config.GRPC_PORT === 0 ? await freePort() : config.GRPC_PORT,
  functionUrls: Object.fromEntries(fleet.members.map((m) => [m.name, m.url])) as Record<FunctionName, string>,
  env: { ...process.env },
  onLine: (line) => process.stdout.write(`${line}\n`),
});
try {
  await sidecar.start();
} catch (error) {
  process.stderr.write(`local stack: ${(error as Error).message}\n`);
  await fleet.stopAll();
  process.exit(1);
}
const server = serve({ fetch: createGatewayApp(upstreams, [{ name: 'grpc-sidecar', probe: () => sidecar.probe() }]).fetch, port: config.PORT }) as Server;
await new Promise<void>((resolve) => server.once('listening', resolve));
const { port } = server.address() as { port: number };

const banner = [
  '',
  `Database Service is up (store: ${config.STORE}${config.STORE === 'sqlite' ? `, file under ${config.DATA_DIR}` : ''})`,
  `  REST API   http://localhost:${port}/v1/collections/{collection}/documents`,
  `  API docs   http://localhost:${port}/docs   (OpenAPI: /openapi.json)`,
  `  probes     http://localhost:${port}/healthz  /readyz  /metrics`,
  `  gRPC       ${sidecar.address}   (dbsvc.v1.DocumentService; try: grpcurl -plaintext ${sidecar.address} list)`,
  ...fleet.members.map((m) => `  function   ${m.name.padEnd(7)} ${m.url}`),
  `  auth       ${config.AUTH_MODE}${config.RATE_LIMIT_PER_SECOND ? `, rate limit ${config.RATE_LIMIT_PER_SECOND}/s per caller` : ''}`,
  ...(config.AUTH_MODE === 'none' ? ['', `  !!! WARNING: ${AUTH_OFF_WARNING}.`, '  !!! For anything but local development set AUTH_MODE=apikey or jwt (see docs/security.md).'] : []),
  'Press Ctrl-C to stop.',
  '',
];
process.stderr.write(banner.join('\n'));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('stopping…\n');
  server.close();
  await Promise.all([sidecar.stop(), fleet.stopAll()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AUTH_OFF_WARNING, ConfigError, loadConfig } from '../shared/runtime/config.js';
import { FUNCTION_NAMES, type FunctionName } from '../shared/runtime/routes.js';
import { freePort } from './free-port.js';
import { FunctionFleet } from './function-fleet.js';
import { createGatewayApp, type Upstreams } from './gateway-app.js';

/**
 * `npm start`: every function as its own process on the shared SQLite file (as Knative would run them), and
 * the gateway that serves the whole REST API on PORT. Ctrl-C stops everything cleanly.
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
const server = serve({ fetch: createGatewayApp(upstreams).fetch, port: config.PORT }) as Server;
await new Promise<void>((resolve) => server.once('listening', resolve));
const { port } = server.address() as { port: number };

const banner = [
  '',
  `Database Service is up (store: ${config.STORE}${config.STORE === 'sqlite' ? `, file under ${config.DATA_DIR}` : ''})`,
  `  REST API   http://localhost:${port}/v1/collections/{collection}/documents`,
  `  API docs   http://localhost:${port}/docs   (OpenAPI: /openapi.json)`,
  `  probes     http://localhost:${port}/healthz  /readyz  /metrics`,
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
  await fleet.stopAll();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { loadGatewayConfig } from '../../shared/runtime/config/gateway-config.js';
import { loadSidecarConfig } from '../../shared/runtime/config/sidecar-config.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { ownNodeFlags } from '../../shared/runtime/startup/node-flags.js';
import { buildGoChecker } from '../support/go-checker.js';
import { ROOT } from '../support/processes.js';

/**
 * compose.yaml, loaded as `docker compose` loads it (compose-go: schema, interpolation, merges, normalisation)
 * by test/deploy/compose-check, since no Docker engine runs here; then what it must hold: MongoDB, Redis, every
 * function, the gateway and the gRPC sidecar from the one image, each with a health check, started in order.
 */
const checker = buildGoChecker('compose-check');
const API_KEYS = `client:${randomBytes(32).toString('base64')}`;

function load(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const { PATH, HOME } = process.env;
  const result = spawnSync(checker, [join(ROOT, 'compose.yaml')], { env: { PATH, HOME, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const loaded = load({ API_KEYS });
const project = JSON.parse(loaded.status === 0 ? loaded.stdout : 'null');
const services = (project?.services ?? {}) as Record<string, any>;
const OWN = [...FUNCTION_NAMES, 'gateway', 'grpc-sidecar'];

test('compose.yaml loads with the Compose loader once API_KEYS is set', () => {
  assert.is(loaded.status, 0, loaded.stderr);
});

test('without API_KEYS the loader refuses the file, naming the variable', () => {
  const { status, stderr } = load({});
  assert.is.not(status, 0);
  assert.match(stderr, /required variable API_KEYS is missing a value/);
});

test('it runs MongoDB, Redis, every function, the gateway and the gRPC sidecar', () => {
  assert.equal(Object.keys(services).sort(), ['mongodb', 'redis', ...OWN].sort());
});

test('every service of ours runs a bundle of the one image, built from this repository', () => {
  const images = new Set(OWN.map((name) => services[name].image));
  assert.equal([...images], ['dbsvc:local']);
  for (const name of OWN) {
    assert.is(services[name].build.context, ROOT, `${name} builds from the repository root`);
    const bundle = services[name].command.at(-1);
    assert.ok(existsSync(join(ROOT, bundle)), `${name}: ${bundle} is built`);
  }
  for (const op of FUNCTION_NAMES) assert.equal(services[op].command, [...ownNodeFlags(op), `dist/functions/${op}.mjs`]);
  assert.equal(services.gateway.command, ['dist/gateway.mjs']);
  assert.equal(services['grpc-sidecar'].command, ['dist/grpc-sidecar.mjs']);
});

test('every service has a health check, and ours probe their own readiness port', () => {
  for (const [name, service] of Object.entries(services)) {
    assert.ok(service.healthcheck?.test?.length, `${name} has a health check`);
  }
  for (const op of [...FUNCTION_NAMES, 'gateway']) {
    const port = services[op].environment.PORT;
    assert.ok(services[op].healthcheck.test.join(' ').includes(`http://127.0.0.1:${port}/readyz`), `${op} probes :${port}/readyz`);
  }
  const sidecar = services['grpc-sidecar'];
  assert.ok(sidecar.healthcheck.test.join(' ').includes(`http://127.0.0.1:${sidecar.environment.GRPC_METRICS_PORT}/readyz`));
});

test('each service starts only once what it calls is healthy', () => {
  const healthy = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([k, v]: [string, any]) => [k, v.condition]));
  for (const op of FUNCTION_NAMES) assert.equal(healthy(op), { mongodb: 'service_healthy', redis: 'service_healthy' }, op);
  const everyFunction = Object.fromEntries(FUNCTION_NAMES.map((op) => [op, 'service_healthy']));
  assert.equal(healthy('gateway'), everyFunction);
  assert.equal(healthy('grpc-sidecar'), everyFunction);
});

test("the functions' environment passes the configuration check: MongoDB store, Redis cache, auth on", () => {
  for (const op of FUNCTION_NAMES) {
    const config = loadConfig(services[op].environment);
    assert.is(config.STORE, 'mongodb');
    assert.is(new URL(config.MONGODB_URI!).hostname, 'mongodb');
    assert.is(new URL(config.REDIS_URL!).hostname, 'redis');
    assert.is(config.AUTH_MODE, 'apikey');
    for (const role of config.AUTH_POLICY!.grants.keys()) assert.ok(config.API_KEYS!.some((k) => k.name === role), `${op}: role ${role} has a key`);
  }
});

test("the gateway and the sidecar reach each function by its service name and port", () => {
  for (const [name, load] of [['gateway', loadGatewayConfig], ['grpc-sidecar', loadSidecarConfig]] as const) {
    const config = load(services[name].environment);
    for (const op of FUNCTION_NAMES) {
      const url = new URL(config.functionUrls[op]);
      assert.is(url.hostname, op, `${name}: ${FUNCTION_URL_VARIABLES[op]}`);
      assert.is(url.port, services[op].environment.PORT);
    }
  }
});

test('only the gateway and the gRPC port are published, and only on the loopback address', () => {
  const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p: any) => `${name} ${p.host_ip}:${p.published}->${p.target}`));
  const sidecar = services['grpc-sidecar'].environment;
  assert.equal(published.sort(), [`gateway 127.0.0.1:8080->${services.gateway.environment.PORT}`, `grpc-sidecar 127.0.0.1:50051->${sidecar.GRPC_PORT}`].sort());
});

test('our containers drop every capability, write nothing to their filesystem and get time to drain', () => {
  for (const name of OWN) {
    const s = services[name];
    assert.equal(s.cap_drop, ['ALL'], name);
    assert.is(s.read_only, true, name);
    const grace = Number(/^(\d+)s$/.exec(s.stop_grace_period)?.[1]);
    assert.ok(grace > Number(s.environment.SHUTDOWN_TIMEOUT_SECONDS), `${name}: stop_grace_period ${s.stop_grace_period}`);
  }
});

test.run();

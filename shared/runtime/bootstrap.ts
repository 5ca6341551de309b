import { timeOrderedId } from '../infrastructure/ids/time-ordered-id.js';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { AUTH_OFF_WARNING, ConfigError, loadConfig } from './config.js';
import { createFunctionApp, type RegisterRoutes } from './function-app.js';
import { instrumentStore } from './instrumented-store.js';
import { Lifecycle } from './lifecycle.js';
import { logEvents } from './log-events.js';
import { createLogger, type Log } from './logger.js';
import { createMetrics } from './metrics.js';
import type { FunctionName } from './routes.js';
import { openStore } from './store-factory.js';
import { usePatternEngine } from '../domain/pattern-engine.js';
import type { DocumentStore } from '../domain/ports.js';
import { re2PatternEngine } from '../infrastructure/re2-pattern-engine.js';

/**
 * A function's whole process: validated config, adapters wired once and reused across requests, the HTTP
 * server, and a graceful drain on SIGTERM/SIGINT. Each `functions/<op>/main.ts` is one call of this.
 */
export async function runFunction(name: FunctionName, register: RegisterRoutes): Promise<void> {
  let config;
  let opened;
  try {
    config = loadConfig();
    opened = await openStore(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, base: { function: name } });
  usePatternEngine(re2PatternEngine);
  if (config.AUTH_MODE === 'none') log.warn(AUTH_OFF_WARNING);
  const metrics = createMetrics(name);
  const store = instrumentStore(opened, metrics);
  const lifecycle = new Lifecycle();
  const deps = { store, clock: { now: () => new Date() }, ids: { next: () => timeOrderedId() }, events: logEvents(log) };
  const app = createFunctionApp({ name, config, deps, log, metrics, lifecycle }, register);
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    log.info('function ready', { port: info.port, store: store.kind, start_ms: Math.round(performance.now()) });
  }) as Server;
  const drain = (signal: string) => shutdown({ server, store, lifecycle, log, signal, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS });
  process.once('SIGTERM', drain);
  process.once('SIGINT', drain);
}

interface ShutdownParts {
  readonly server: Server;
  readonly store: DocumentStore;
  readonly lifecycle: Lifecycle;
  readonly log: Log;
  readonly signal: string;
  readonly timeoutSeconds: number;
}

/** Readiness turns 503, the server stops accepting, in-flight requests finish, the store closes, exit 0. */
async function shutdown({ server, store, lifecycle, log, signal, timeoutSeconds }: ShutdownParts): Promise<void> {
  log.info('shutting down', { signal, in_flight: lifecycle.inFlight });
  lifecycle.startDraining();
  const forced = setTimeout(() => {
    log.error('shutdown timed out; exiting with requests still in flight', { in_flight: lifecycle.inFlight });
    process.exit(1);
  }, timeoutSeconds * 1000);
  forced.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await lifecycle.idle();
  await store.close();
  log.info('stopped');
  process.exit(0);
}

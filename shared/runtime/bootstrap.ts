import { timeOrderedId } from '../infrastructure/ids/time-ordered-id.js';
import type { DocumentStore } from '../domain/ports.js';
import { AUTH_OFF_WARNING, ConfigError, loadConfig, type Config } from './config/function-config.js';
import { createFunctionApp, type RegisterRoutes } from './http/function-app.js';
import { closeServer, listenHttp } from './http/http-server.js';
import { drainOnSignals, Lifecycle } from './lifecycle.js';
import { reportListening } from './startup/listening-report.js';
import { openEventSinks } from './events/event-sinks.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, refusedLabels } from './observability/metrics.js';
import type { FunctionName } from './http/routes.js';
import { composeStore } from './store/store-composition.js';
import { openStore } from './store/store-factory.js';
import { traceStore } from './store/traced-store.js';
import { startTracing } from './observability/tracing.js';
import { usePatternEngine } from '../domain/pattern-engine.js';
import { re2jsPatternEngine } from '../infrastructure/re2js-pattern-engine.js';

/**
 * A function's whole process: validated config, adapters wired once and reused across requests, the HTTP
 * server, and a graceful drain on SIGTERM/SIGINT. Each `functions/<op>/main.ts` is one call of this. `open`
 * opens the store the function serves: the configured one, unless a caller brings its own (the bench measures
 * functions around a store that answers at once, test/bench/function-without-store.ts).
 */
export async function runFunction(name: FunctionName, register: RegisterRoutes, open: (config: Config) => Promise<DocumentStore> = openStore): Promise<void> {
  let config;
  let opened;
  try {
    config = loadConfig();
    opened = await open(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, base: { function: name } });
  const tracing = await startTracing(config, `dbsvc-${name}`, log);
  usePatternEngine(re2jsPatternEngine);
  if (config.AUTH_MODE === 'none') log.warn(AUTH_OFF_WARNING);
  const metrics = createMetrics(name);
  const composed = await composeStore(name, opened, config, metrics, log);
  // Untraced, the store is not wrapped at all: tracing off costs nothing per call.
  const store = tracing.enabled ? traceStore(composed) : composed;
  const sinks = await openEventSinks(config, name, log, metrics);
  const lifecycle = new Lifecycle();
  const deps = { store, clock: { now: () => new Date() }, ids: { next: () => timeOrderedId() }, events: sinks.events };
  const app = createFunctionApp({ name, config, deps, log, metrics, lifecycle }, register);
  const server = listenHttp(app.fetch, config.PORT, config.HOST, {
    onListening: (info) => {
      // performance.now() counts from the process's start: this is the cold start Knative has no metric for.
      const seconds = performance.now() / 1000;
      metrics.coldStart.set(seconds);
      log.info('function ready', { port: info.port, store: store.kind, tracing: tracing.enabled, start_ms: Math.round(seconds * 1000) });
      reportListening({ http: info.port });
    },
    onListenError: (error) => {
      const where = `PORT=${config.PORT}${config.HOST === undefined ? '' : ` HOST=${JSON.stringify(config.HOST)}`}`;
      process.stderr.write(`${name}: cannot listen on ${where}: ${error.message}\n`);
      process.exit(1);
    },
    onRefused: (status) => metrics.httpRequests.inc(refusedLabels(status)),
  });
  drainOnSignals({
    log,
    timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    busy: () => ({ in_flight: lifecycle.inFlight }),
    stop: async (timeLeftMs) => {
      lifecycle.startDraining();
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_ACCEPT_MS));
      await closeServer(server);
      // Queued change events, then buffered spans, get what is left of the timeout.
      await sinks.drain(timeLeftMs());
      await store.close();
      await tracing.shutdown(timeLeftMs());
    },
  });
}

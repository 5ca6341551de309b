import { UnavailableError } from '../shared/domain/errors.js';
import type { Log } from '../shared/runtime/observability/logger.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import type { FunctionFleet } from './function-fleet.js';
import type { Upstreams } from './gateway-app.js';

/**
 * Upstreams that run a function only while it is used, like Knative's activator: the first request starts it
 * and waits until it is ready, and `idleSeconds` after the last request was handed over it is stopped
 * (SIGTERM: it finishes what it is serving, then exits). A request that arrives while it is stopping waits
 * for the exit and starts it again.
 */
export function scaleToZero(fleet: FunctionFleet, names: readonly FunctionName[], idleSeconds: number, log: Log): Upstreams {
  const idleTimers = new Map<FunctionName, NodeJS.Timeout>();
  const stopping = new Map<FunctionName, Promise<void>>();

  const scaleDown = (name: FunctionName) => {
    idleTimers.delete(name);
    const pid = fleet.pid(name);
    const stopped = fleet.stop(name).then(() => {
      stopping.delete(name);
      log.info('function scaled to zero', { function: name, pid, idle_seconds: idleSeconds });
    });
    stopping.set(name, stopped);
  };

  const coldStart = async (name: FunctionName) => {
    const started = performance.now();
    log.info('starting function for a request', { function: name });
    try {
      await fleet.start(name);
    } catch (error) {
      throw new UnavailableError(`function '${name}' could not start`, 1, { cause: error });
    }
    log.info('function started on demand', { function: name, pid: fleet.pid(name), cold_start_ms: Math.round(performance.now() - started) });
  };

  return {
    names,
    async resolve(name) {
      // The idle period counts from the latest request's hand-over, never while a start is still under way.
      clearTimeout(idleTimers.get(name));
      await stopping.get(name);
      // A function already starting for an earlier request is awaited, not started twice.
      if (fleet.isRunning(name)) await fleet.start(name);
      else await coldStart(name);
      clearTimeout(idleTimers.get(name));
      idleTimers.set(name, setTimeout(() => scaleDown(name), idleSeconds * 1000).unref());
      return fleet.url(name)!;
    },
    current: (name) => (fleet.isRunning(name) && !stopping.has(name) ? fleet.url(name) : undefined),
  };
}

import type { Log } from './logger.js';

/** Process state the probes read: draining starts on SIGTERM and never ends (the process is on its way out). */
export class Lifecycle {
  #draining = false;
  #inFlight = 0;

  get draining(): boolean {
    return this.#draining;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  startDraining(): void {
    this.#draining = true;
  }

  requestStarted(): void {
    this.#inFlight++;
  }

  requestFinished(): void {
    this.#inFlight--;
  }
}

export interface DrainOptions {
  readonly lifecycle: Lifecycle;
  readonly log: Log;
  readonly timeoutSeconds: number;
  /** Stops taking work, lets in-flight work finish and closes connections (server, store, cache, exporter). */
  readonly stop: () => Promise<void>;
}

/**
 * On the first SIGTERM or SIGINT: readiness turns 503 at once, then `stop` runs; exit 0 when it is done, or 1
 * after `timeoutSeconds` (or on a failure), so a stuck drain never outlives the platform's grace period.
 */
export function drainOnSignals({ lifecycle, log, timeoutSeconds, stop }: DrainOptions): void {
  const drain = async (signal: NodeJS.Signals) => {
    process.off('SIGTERM', drain);
    process.off('SIGINT', drain);
    log.info('shutting down', { signal, in_flight: lifecycle.inFlight });
    lifecycle.startDraining();
    const forced = setTimeout(() => {
      log.error('shutdown timed out; exiting with work still in flight', { in_flight: lifecycle.inFlight, timeout_seconds: timeoutSeconds });
      process.exit(1);
    }, timeoutSeconds * 1000);
    forced.unref();
    try {
      await stop();
    } catch (error) {
      log.error('shutdown failed', { error: String(error) });
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', drain);
  process.on('SIGINT', drain);
}

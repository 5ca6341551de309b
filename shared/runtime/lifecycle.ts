import type { Log, LogFields } from './observability/logger.js';

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

/** Kept back from the shutdown timeout for what a stop does after its last step that can give up, and exiting. */
const EXIT_MARGIN_MS = 500;

export interface DrainOptions {
  readonly log: Log;
  readonly timeoutSeconds: number;
  /**
   * Turns readiness off, stops taking work, lets in-flight work finish, closes connections and exporters.
   * `timeLeftMs()`: what is left of the timeout, less a margin to finish and exit, for a step that can give up
   * what it has not done (queued events, buffered spans) rather than hold the exit.
   */
  readonly stop: (timeLeftMs: () => number) => Promise<void>;
  /** What the process is still busy with, for the log lines (e.g. `{ in_flight: 3 }`). */
  readonly busy?: () => LogFields;
}

/**
 * On the first SIGTERM or SIGINT `stop` runs; exit 0 when it is done, or 1 on a failure or after
 * `timeoutSeconds`, so a stuck drain never outlives the platform's grace period. A later signal changes
 * nothing (Ctrl-C reaches the whole process group, and the local stack then sends its own SIGTERM), and a
 * process started with an IPC channel (by the local stack) drains as well when that parent goes away, so it
 * is never left orphaned.
 */
export function drainOnSignals({ log, timeoutSeconds, stop, busy = () => ({}) }: DrainOptions): void {
  let draining = false;
  const drain = async (signal: NodeJS.Signals | 'parent gone') => {
    if (draining) return;
    draining = true;
    log.info('shutting down', { signal, ...busy() });
    const forced = setTimeout(() => {
      log.error('shutdown timed out; exiting with work still in flight', { timeout_seconds: timeoutSeconds, ...busy() });
      process.exit(1);
    }, timeoutSeconds * 1000);
    forced.unref();
    const deadline = performance.now() + timeoutSeconds * 1000;
    try {
      await stop(() => Math.max(0, deadline - performance.now() - EXIT_MARGIN_MS));
    } catch (error) {
      log.error('shutdown failed', { error: String(error) });
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', drain);
  process.on('SIGINT', drain);
  if (process.channel) process.once('disconnect', () => void drain('parent gone'));
}

import type { HealthImplementation, ServingStatus } from 'grpc-health-check';
import type { Log } from '../shared/runtime/observability/logger.js';
import { FUNCTION_NAMES } from '../shared/runtime/http/routes.js';
import type { FunctionClients } from './function-client.js';

/** While not serving, look again soon (start-up, a restart); while serving, now and then. */
const RETRY_WHILE_NOT_SERVING_MS = 250;

/**
 * Keeps grpc.health.v1 in step with the functions: SERVING (overall and for each named service) only while
 * every function's /readyz answers 200. Without polling the sidecar reports SERVING from the start.
 */
export class FunctionReadiness {
  #timer: NodeJS.Timeout | undefined;
  #current: ServingStatus | undefined;
  #stopped = false;

  constructor(
    private readonly clients: FunctionClients,
    private readonly health: HealthImplementation,
    private readonly services: readonly string[],
    private readonly log: Log,
    private readonly pollMs: number,
  ) {}

  /** Whether grpc.health.v1 reports SERVING now (the HTTP /readyz probe mirrors it). */
  get serving(): boolean {
    return this.#current === 'SERVING';
  }

  start(): void {
    if (this.pollMs === 0) {
      this.#set('SERVING');
      return;
    }
    void this.#poll();
  }

  /** Reports NOT_SERVING for good (the sidecar is draining) and stops polling. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#set('NOT_SERVING');
  }

  async #poll(): Promise<void> {
    const states = await Promise.all(FUNCTION_NAMES.map(async (name) => [name, await this.clients.ready(name)] as const));
    if (this.#stopped) return;
    const notReady = states.filter(([, ready]) => !ready).map(([name]) => name);
    const next: ServingStatus = notReady.length === 0 ? 'SERVING' : 'NOT_SERVING';
    if (next !== this.#current && next === 'NOT_SERVING') this.log.warn('functions not ready', { functions: notReady.join(',') });
    this.#set(next);
    this.#timer = setTimeout(() => void this.#poll(), next === 'SERVING' ? this.pollMs : Math.min(this.pollMs, RETRY_WHILE_NOT_SERVING_MS));
    this.#timer.unref();
  }

  #set(status: ServingStatus): void {
    if (status === this.#current) return;
    this.#current = status;
    for (const service of ['', ...this.services]) this.health.setStatus(service, status);
    this.log.info('health', { status });
  }
}

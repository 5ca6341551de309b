import { Pool } from 'undici';
import type { HttpMethod, FunctionName } from '../shared/runtime/http/routes.js';

export interface FunctionRequest {
  readonly method: HttpMethod;
  /** The route path, e.g. `/v1/collections/users/documents/u1`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface FunctionReply {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly text: string;
}

/** Idle connections are closed before the functions' own 5 s keep-alive timeout can close them under a request. */
const KEEP_ALIVE_MS = 4_000;
const READINESS_TIMEOUT_MS = 2_000;

/**
 * HTTP to the functions: one undici pool per function, connections kept alive across calls, so a gRPC call
 * costs one request on a warm socket. A function URL may carry a path prefix; routes are appended to it.
 */
export class FunctionClients {
  readonly #pools = new Map<FunctionName, { pool: Pool; origin: string; prefix: string }>();

  constructor(urls: Readonly<Record<FunctionName, string>>) {
    for (const [name, url] of Object.entries(urls) as Array<[FunctionName, string]>) {
      const parsed = new URL(url);
      this.#pools.set(name, {
        pool: new Pool(parsed.origin, { keepAliveTimeout: KEEP_ALIVE_MS }),
        origin: parsed.origin,
        prefix: parsed.pathname.replace(/\/+$/, ''),
      });
    }
  }

  /** The full URL a request to `path` goes to (a span names it). */
  urlOf(name: FunctionName, path: string): URL {
    const { origin, prefix } = this.#target(name);
    return new URL(`${prefix}${path}`, origin);
  }

  /** One request; rejects on transport failures (refused, reset, aborted by `signal`). */
  async send(name: FunctionName, request: FunctionRequest, signal: AbortSignal): Promise<FunctionReply> {
    const { pool, prefix } = this.#target(name);
    const response = await pool.request({
      method: request.method,
      path: `${prefix}${request.path}`,
      headers: request.headers,
      body: request.body ?? null,
      signal,
    });
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      text: await response.body.text(),
    };
  }

  /** Whether the function's readiness probe answers 200 now. */
  async ready(name: FunctionName): Promise<boolean> {
    try {
      const reply = await this.send(name, { method: 'GET', path: '/readyz', headers: {} }, AbortSignal.timeout(READINESS_TIMEOUT_MS));
      return reply.status === 200;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map(({ pool }) => pool.close()));
  }

  #target(name: FunctionName): { pool: Pool; origin: string; prefix: string } {
    const target = this.#pools.get(name);
    if (!target) throw new Error(`no URL configured for function '${name}'`);
    return target;
  }
}

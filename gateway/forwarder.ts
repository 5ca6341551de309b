import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UnavailableError } from '../shared/domain/errors.js';
import { GatewayTimeoutError, MethodNotAllowedError } from '../shared/runtime/http/problem.js';
import { FUNCTION_ROUTES, routePattern, type FunctionName } from '../shared/runtime/http/routes.js';
import type { Upstreams } from './gateway-app.js';
import { forwardedHeaders, hasBody } from './hop-headers.js';
import { originOf } from './origin.js';
import { markRelayed } from './own-answers.js';
import { answerProblem } from './problem-answer.js';
import { createReadForward } from './read-forward.js';

/**
 * The gateway's hot path on node:http streams, not fetch: pooled keep-alive connections to each function, no
 * Request/Response objects, bodies piped through without a copy (`npm run bench`, BENCHMARKS.md). Reads
 * without a body go on undici's dispatcher instead (read-forward.ts).
 */
export type Forward = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * How long, and how much, of a client's body is read and dropped after the function answered before the body
 * ended (a 413): closing with unread bytes makes the client's kernel reset the socket, and it loses the answer.
 */
const DISCARD_MS = 10_000;
const DISCARD_BYTES = 64 * 2 ** 20;

/** Warm connections to each function, reused most-recent first; no Nagle delay on small requests. */
const POOL = { keepAlive: true, noDelay: true, scheduling: 'lifo' } as const;

interface Route {
  readonly name: FunctionName;
  readonly method: string;
  readonly pattern: RegExp;
}

/**
 * Compiled once from FUNCTION_ROUTES: `:param` matches one path segment, an empty one too, so the function
 * answers a path with an empty collection or id (400) as it answers one that breaks their rules.
 */
function compileRoutes(names: readonly FunctionName[]): Route[] {
  return names.flatMap((name) =>
    FUNCTION_ROUTES[name].map(({ method, path }) => ({
      name,
      method,
      pattern: routePattern(path),
    })),
  );
}

/**
 * A forwarder for the functions' routes; it returns false for a path no function route matches. A path that
 * matches with another method is answered 405 with `Allow` (RFC 9110 §15.5.6), not passed on. A function that
 * has not started its answer `timeoutSeconds` after it was sent the whole request is answered for: 504.
 */
export function createForwarder(upstreams: Upstreams, timeoutSeconds: number): Forward {
  const routes = compileRoutes(upstreams.names);
  const sending: Sending = { agents: { http: new Agent(POOL), https: new HttpsAgent(POOL) }, timeoutSeconds };
  const read = createReadForward(timeoutSeconds);
  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const matching = routes.filter((r) => r.pattern.test(path));
    if (matching.length === 0) return false;
    // HEAD goes wherever GET does (RFC 9110 §9.3.2); the function answers it as its GET, without the body.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = matching.find((r) => r.method === method);
    if (!route) {
      methodNotAllowed(req, res, matching.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])));
      return true;
    }
    upstreams.resolve(route.name).then(
      (base) => {
        const origin = originOf(base);
        if (!origin.secure && (req.method === 'GET' || req.method === 'HEAD') && !hasBody(req.rawHeaders)) read(origin, route.name, req, res);
        else send(sending, base, route.name, req, res);
      },
      (error: unknown) => void answerProblem(res, error),
    );
    return true;
  };
}

function send(sending: Sending, base: string, name: FunctionName, req: IncomingMessage, res: ServerResponse, retried = false): void {
  const { secure, hostname, port, prefix } = originOf(base);
  const options = { hostname, port, path: `${prefix}${req.url}`, method: req.method, headers: forwardedHeaders(req.headers) };
  const { agents, timeoutSeconds } = sending;
  const upstream = secure ? httpsRequest({ ...options, agent: agents.https }) : httpRequest({ ...options, agent: agents.http });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  // The wait for the answer starts once the whole request is sent: a slow upload is the client's own time.
  upstream.once('finish', () => {
    timer = setTimeout(() => {
      timedOut = true;
      upstream.destroy();
      void answerProblem(res, new GatewayTimeoutError(name, timeoutSeconds));
    }, timeoutSeconds * 1000);
  });
  upstream.on('response', (answer) => {
    clearTimeout(timer);
    const answeredEarly = !req.complete;
    const headers = forwardedHeaders(answer.headers);
    markRelayed(res);
    if (answeredEarly) {
      req.unpipe(upstream);
      discardRest(req);
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
    if (answeredEarly) answer.on('end', () => upstream.destroy());
  });
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    // Once the answer has come, a function that answered early may reset the rest of the body's upload;
    // a cut answer shows on the answer's own stream. After a timeout, the 504 is the answer.
    if (res.headersSent || timedOut) return;
    // A pooled connection the function closed just as it was reused: safe to send again when there is no body.
    if (!retried && upstream.reusedSocket && error.code === 'ECONNRESET' && !hasBody(req.rawHeaders)) {
      send(sending, base, name, req, res, true);
      return;
    }
    void answerProblem(res, new UnavailableError(`function '${name}' is not reachable`, 1, { cause: error }));
  });
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) upstream.destroy();
  });
  if (hasBody(req.rawHeaders)) req.pipe(upstream);
  else upstream.end();
}

interface Agents {
  readonly http: Agent;
  readonly https: HttpsAgent;
}

/** How a request with a body is sent: the pooled connections, and how long the answer may take to start. */
interface Sending {
  readonly agents: Agents;
  readonly timeoutSeconds: number;
}

/** Reads what is left of the client's body and drops it, within bounds; past them the socket is closed. */
function discardRest(req: IncomingMessage): void {
  let read = 0;
  const timer = setTimeout(() => req.socket.destroy(), DISCARD_MS).unref();
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > DISCARD_BYTES) req.socket.destroy();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  req.resume();
  void answerProblem(res, new MethodNotAllowedError(req.method ?? '', req.url?.split('?')[0] ?? '/', allowed));
}

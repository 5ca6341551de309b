import { getRequestListener } from '@hono/node-server';
import type { Server } from 'node:http';
import { FUNCTION_ROUTES } from '../shared/runtime/http/routes.js';
import { answerRequestError, createProblemServer } from '../shared/runtime/http/client-errors.js';
import type { ApiSettings } from './openapi.js';
import { createCors } from './cors.js';
import { createForwarder } from './forwarder.js';
import { createGatewayApp, OWN_ROUTES, type Companion, type Upstreams } from './gateway-app.js';
import { createOwnAnswers } from './own-answers.js';
import { originForm } from './request-target.js';

export interface GatewayOptions {
  readonly companions?: readonly Companion[];
  /** How the functions run, for the OpenAPI document (its security scheme, maxTimeMs's ceiling). */
  readonly api: ApiSettings;
  /** CORS_ORIGINS; unset, no CORS headers. */
  readonly corsOrigins?: readonly string[] | undefined;
  /** GATEWAY_TIMEOUT_SECONDS: how long a function may take to start its answer. */
  readonly timeoutSeconds: number;
}

/** The gateway's HTTP server: the functions' routes forwarded as streams, everything else to its Hono app. */
export function createGatewayServer(upstreams: Upstreams, options: GatewayOptions): Server {
  const forward = createForwarder(upstreams, options.timeoutSeconds);
  const answers = createOwnAnswers([...upstreams.names.flatMap((name) => FUNCTION_ROUTES[name].map((route) => route.path)), ...OWN_ROUTES]);
  const app = createGatewayApp(upstreams, options.companions ?? [], options.api, answers.exposition);
  const own = getRequestListener(app.fetch, { errorHandler: answerRequestError });
  const cors = options.corsOrigins ? createCors(options.corsOrigins) : undefined;
  const server = createProblemServer((req, res) => {
    if (req.url) req.url = originForm(req.url);
    answers.observe(req, res);
    // Closing (the stack is stopping): clients let go of their keep-alive connections after this answer.
    if (!server.listening) res.setHeader('Connection', 'close');
    if (cors?.(req, res)) return;
    // Without a Host header there is no URL: the app's listener refuses it, and nothing is forwarded.
    if (req.headers.host === undefined || !forward(req, res)) void own(req, res);
  }, answers.refused);
  return server;
}

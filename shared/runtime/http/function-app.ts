import { Hono } from 'hono';
import type { UseCaseDeps } from '../../application/deps.js';
import { DomainError, InvalidInputError, UnavailableError } from '../../domain/errors.js';
import { validateIndexName } from '../../domain/indexes/index-definition.js';
import { collectionName, documentId } from '../../domain/values.js';
import { createAccessControl } from '../auth/access-control.js';
import type { Config } from '../config/function-config.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Log } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { problemResponse, RouteNotFoundError } from './problem.js';
import { observeRequests } from '../observability/request-observation.js';
import { COLLECTION_SCOPE, DOCUMENT_PATH, emptyParameter, FUNCTION_ROUTES, INDEX_PATH, routePattern, type FunctionName } from './routes.js';

/** Everything a function's routes may use; built once per process by `runFunction`. */
export interface FunctionContext {
  readonly name: FunctionName;
  readonly config: Config;
  readonly deps: UseCaseDeps;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly lifecycle: Lifecycle;
}

export type FunctionApp = Hono;
export type RegisterRoutes = (app: FunctionApp, ctx: FunctionContext) => void;

/**
 * The Hono app every function serves: observation (span, metrics, access log, in-flight count), problem+json
 * for every failure, the three probes, then the function's own routes.
 */
export function createFunctionApp(ctx: FunctionContext, register: RegisterRoutes): FunctionApp {
  const app = new Hono();
  const { metrics, log, lifecycle } = ctx;

  app.use(observeRequests(ctx));

  app.onError((error) => {
    if (!(error instanceof DomainError)) log.error('unhandled error', { error: String(error) });
    return problemResponse(error);
  });
  app.notFound((c) => {
    const empty = emptyParameter(FUNCTION_ROUTES[ctx.name], c.req.method, c.req.path);
    if (!empty) return problemResponse(new RouteNotFoundError(c.req.method, c.req.url));
    return problemResponse(new InvalidInputError(`${empty} must not be empty`, [{ path: empty, message: 'must not be empty' }]));
  });

  app.get('/healthz', (c) => (lifecycle.draining ? c.json({ status: 'draining' }, 503) : c.json({ status: 'ok' })));
  app.get('/readyz', async (c) => {
    if (lifecycle.draining) return problemResponse(new UnavailableError('shutting down'));
    await ctx.deps.store.ping();
    return c.json({ status: 'ready' });
  });
  app.get('/metrics', async (c) => c.body(await metrics.exposition(), 200, { 'Content-Type': metrics.registry.contentType }));

  // Who is calling comes first (401, 429), then the names (400), then whether the policy allows it (403),
  // all before anything else a route does (body, headers, store). Probes and /metrics stay open.
  const access = createAccessControl(ctx.config, ctx.name);
  const documentPath = routePattern(DOCUMENT_PATH);
  const indexPath = routePattern(INDEX_PATH);
  app.use(COLLECTION_SCOPE, async (c, next) => {
    const principal = await access.authenticate(c.req.header('authorization'));
    const collection = collectionName(c.req.param('collection'));
    // This middleware sees no `:id` or `:name` parameter (its own path has none): they are read from the path.
    const id = documentPath.exec(c.req.path)?.[2];
    if (id !== undefined) documentId(decodedSegment(id));
    const indexName = indexPath.exec(c.req.path)?.[2];
    if (indexName !== undefined) validateIndexName(decodedSegment(indexName));
    access.authorize(principal, collection);
    await next();
  });

  register(app, ctx);
  return app;
}

/** A path segment as the route sees it; one that is not valid percent-encoding stays as it is (and fails its rule). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

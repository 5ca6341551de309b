import { type Span, SpanStatusCode, type TextMapGetter } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { isCollectionName, isDocumentId } from '../../domain/values.js';
import type { Lifecycle } from '../lifecycle.js';
import { withCallerTrace } from './caller-trace.js';
import type { Log, LogFields } from './logger.js';
import { methodLabel, type Metrics } from './metrics.js';
import { extractContext, SpanKind, spansStarted, tracer } from './spans.js';

/** Routes the platform calls all the time (probes, scrapes): no span, and their access line is at debug. */
const OPERATIONAL_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** Reads the incoming `traceparent`/`tracestate` through Hono, without building a full Headers object. */
const REQUEST_HEADERS: TextMapGetter<Context> = {
  get: (c, key) => c.req.header(key),
  keys: (c) => Object.keys(c.req.header()),
};

/**
 * Observes every request once: the HTTP server span (continuing the caller's W3C trace context), the
 * in-flight count that a graceful drain waits on, the HTTP metrics of docs/api.md, and one access line.
 * During a drain every response carries `Connection: close`, so keep-alive clients let go of the socket and
 * the server can close.
 */
export function observeRequests({ metrics, log, lifecycle }: { metrics: Metrics; log: Log; lifecycle: Lifecycle }): MiddlewareHandler {
  const observe = async (c: Context, next: () => Promise<void>, route: string, method: string, operational: boolean, span?: Span) => {
    const started = performance.now();
    lifecycle.requestStarted();
    metrics.httpInFlight.inc();
    try {
      await next();
    } finally {
      lifecycle.requestFinished();
      metrics.httpInFlight.dec();
      if (lifecycle.draining) c.header('Connection', 'close');
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      const labels = { method, route, status: String(status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      const fields: LogFields = { ...labels, duration_ms: Math.round(seconds * 1e4) / 10, ...documentFields(c) };
      if (span) endServerSpan(span, status);
      if (operational) log.debug('request', fields);
      else log.info('request', fields);
    }
  };

  return (c, next) => {
    const route = routeTemplate(c);
    const method = methodLabel(c.req.method);
    const operational = OPERATIONAL_ROUTES.has(route);
    if (operational) return observe(c, next, route, method, operational);
    if (!spansStarted()) return withCallerTrace(c.req.header('traceparent'), () => observe(c, next, route, method, false));
    const parent = extractContext(c, REQUEST_HEADERS);
    const attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route, [ATTR_URL_PATH]: c.req.path, [ATTR_URL_SCHEME]: 'http' };
    return tracer().startActiveSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent, (span) =>
      observe(c, next, route, method, false, span),
    );
  };
}

/** The route template that answers (the last non-middleware match), or `unmatched`: a bounded label. */
function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return 'unmatched';
}

/** The request's collection and document id, when the path names valid ones. */
function documentFields(c: Context): LogFields {
  const collection = c.req.param('collection');
  const id = c.req.param('id');
  return {
    ...(isCollectionName(collection) ? { collection } : {}),
    ...(isDocumentId(id) ? { document_id: id } : {}),
  };
}

/** A server span is an error only for 5xx: a 4xx is the client's mistake, answered correctly. */
function endServerSpan(span: Span, status: number): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

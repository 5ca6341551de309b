import type { IncomingMessage, ServerResponse } from 'node:http';
import Registry from 'prom-client/lib/registry.js';
import { routePattern } from '../shared/runtime/http/routes.js';
import { createHttpMetrics, methodLabel, refusedLabels } from '../shared/runtime/observability/metrics.js';

/**
 * The answers the gateway makes itself (its own pages, 404s and 405s, a function it cannot reach, CORS
 * preflights, requests without a URL) in `http_requests_total` and `http_request_duration_seconds`, labelled
 * `function="gateway"` beside the functions' series. An answer relayed from a function is left out: the
 * function counted it already.
 */
export interface OwnAnswers {
  /** Starts watching a request; call it first thing, before anything answers it. */
  observe(req: IncomingMessage, res: ServerResponse): void;
  /** Counts a request Node's HTTP parser refused, answered with `status` before any listener saw it. */
  refused(status: number): void;
  /** The Prometheus text of the gateway's own series. */
  exposition(): Promise<string>;
}

/** Responses that carry a function's answer (see markRelayed). */
const relayed = new WeakSet<ServerResponse>();

/** Marks `res` as carrying a function's answer, before its head is written: the gateway does not count it. */
export function markRelayed(res: ServerResponse): void {
  relayed.add(res);
}

/** `routes` are the templates that label the series (the functions' and the gateway's own); any other path is `unmatched`. */
export function createOwnAnswers(routes: readonly string[]): OwnAnswers {
  const registry = new Registry();
  registry.setDefaultLabels({ function: 'gateway' });
  const metrics = createHttpMetrics(registry);
  const patterns = [...new Set(routes)].map((route) => ({ route, pattern: routePattern(route) }));
  const routeOf = (url: string | undefined) => {
    const path = (url ?? '').split('?', 1)[0]!;
    return patterns.find(({ pattern }) => pattern.test(path))?.route ?? 'unmatched';
  };
  return {
    observe(req, res) {
      const started = performance.now();
      res.once('finish', () => {
        if (relayed.has(res)) return;
        const labels = { method: methodLabel(req.method ?? ''), route: routeOf(req.url), status: String(res.statusCode) };
        metrics.httpRequests.inc(labels);
        metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
      });
    },
    refused: (status) => metrics.httpRequests.inc(refusedLabels(status)),
    exposition: () => registry.metrics(),
  };
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { MethodNotAllowedError, problemResponse, RouteNotFoundError } from '../shared/runtime/http/problem.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { mergeExpositions } from './metrics-merge.js';
import { type ApiSettings, buildOpenApiDocument } from './openapi.js';

/** How the gateway reaches functions: the base URL of one, starting it first if it sleeps (scale to zero). */
export interface Upstreams {
  readonly names: readonly FunctionName[];
  resolve(name: FunctionName): Promise<string>;
  /** The URL of a function that runs now, or undefined when it is scaled to zero. */
  current(name: FunctionName): string | undefined;
}

/** Another process the stack runs, e.g. the gRPC sidecar: part of its readiness, and of /metrics when it has them. */
export interface Companion {
  readonly name: string;
  probe(): Promise<'ready' | 'not ready'>;
  /** Where its Prometheus text answers (known once it has started). */
  metricsUrl?(): string | undefined;
}

/** The gateway's own pages, each served to GET (and so HEAD) only. */
const OWN_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']);
/** Their templates as the route labels of the gateway's metrics: the pages, and the UI's files under /docs. */
export const OWN_ROUTES: readonly string[] = [...OWN_PATHS, '/docs/:file'];

/**
 * What the gateway answers itself: the stack-wide probes, merged metrics, the OpenAPI document and its
 * browsable UI. The functions' routes never reach it (gateway-server.ts forwards them first). `ownMetrics` is
 * the Prometheus text of what the gateway answers itself, merged into /metrics with the others'.
 */
export function createGatewayApp(
  upstreams: Upstreams,
  companions: readonly Companion[],
  api: ApiSettings,
  ownMetrics: () => Promise<string>,
): Hono {
  const app = new Hono();
  app.onError((error) => problemResponse(error));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const states = await Promise.all(upstreams.names.map(async (name) => [name, await probe(upstreams.current(name))] as const));
    const functions = Object.fromEntries(states.map(([name, state]) => [name, state]));
    const others = await Promise.all(companions.map(async (companion) => [companion.name, await companion.probe()] as const));
    const ready = states.every(([, state]) => state === 'ready' || state === 'scaled-to-zero') && others.every(([, state]) => state === 'ready');
    return c.json({ status: ready ? 'ready' : 'not ready', functions, ...Object.fromEntries(others) }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const urls = [
      ...upstreams.names.map((name) => {
        const url = upstreams.current(name);
        return url && `${url}/metrics`;
      }),
      ...companions.map((companion) => companion.metricsUrl?.()),
    ];
    const texts = await Promise.all([ownMetrics(), ...urls.map((url) => (url ? scrape(url) : ''))]);
    return c.body(mergeExpositions(texts), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  let openapi: string | undefined;
  app.get('/openapi.json', (c) => {
    openapi ??= JSON.stringify(buildOpenApiDocument(api));
    return c.body(openapi, 200, { 'Content-Type': 'application/json' });
  });
  app.get('/docs', (c) => c.html(DOCS_PAGE));
  app.get('/docs/:file{swagger-ui(-bundle)?\\.(js|css)}', async (c) => {
    const file = c.req.param('file');
    const body = await readFile(join(swaggerUiDir(), file));
    return c.body(body, 200, { 'Content-Type': file.endsWith('.css') ? 'text/css' : 'text/javascript', 'Cache-Control': 'max-age=3600' });
  });
  app.notFound((c) =>
    problemResponse(
      OWN_PATHS.has(c.req.path) ? new MethodNotAllowedError(c.req.method, c.req.path, ['GET', 'HEAD']) : new RouteNotFoundError(c.req.method, c.req.url),
    ),
  );
  return app;
}

/** One process's Prometheus text; nothing when it does not answer, so one down process leaves the rest. */
async function scrape(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

async function probe(url: string | undefined): Promise<'ready' | 'not ready' | 'scaled-to-zero'> {
  if (!url) return 'scaled-to-zero';
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok ? 'ready' : 'not ready';
  } catch {
    return 'not ready';
  }
}

function swaggerUiDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Database Service API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body>
</html>`;

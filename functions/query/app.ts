import { countDocuments, queryDocuments, type QueryDeps } from '../../shared/application/query-documents.js';
import { queryPageJson } from '../../shared/runtime/http/document-json.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';
import { COUNT_PATH, QUERY_PATH } from '../../shared/runtime/http/routes.js';
import { countBody, parseInput, queryBody } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedQueryDocuments = tracedUseCase('queryDocuments', queryDocuments);
const tracedCountDocuments = tracedUseCase('countDocuments', countDocuments);

/**
 * `POST /v1/collections/{c}/query` → 200 `{documents, nextCursor}` (or `{plan}` with `"explain": true`);
 * `POST /v1/collections/{c}/count` → 200 `{count}`. An empty body queries or counts everything.
 */
export const registerQuery: RegisterRoutes = (app, { deps, config }) => {
  const queryDeps: QueryDeps = { store: deps.store, queryTimeLimitMs: config.QUERY_MAX_TIME_MS };
  app.post(QUERY_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES, emptyAs: {} });
    const input = parseInput(queryBody, body.value, 'body');
    const answer = await tracedQueryDocuments(queryDeps, { collection: c.req.param('collection'), ...input });
    if ('plan' in answer) return c.json(answer);
    return c.body(queryPageJson(answer), 200, { 'Content-Type': 'application/json' });
  });
  app.post(COUNT_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES, emptyAs: {} });
    const input = parseInput(countBody, body.value, 'body');
    return c.json(await tracedCountDocuments(queryDeps, { collection: c.req.param('collection'), ...input }));
  });
};

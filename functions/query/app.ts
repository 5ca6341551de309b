import { queryDocuments } from '../../shared/application/query-documents.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';
import { QUERY_PATH } from '../../shared/runtime/http/routes.js';
import { parseInput, queryBody } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedQueryDocuments = tracedUseCase('queryDocuments', queryDocuments);

/** `POST /v1/collections/{c}/query` → 200 `{documents, nextCursor}`; an empty body queries everything. */
export const registerQuery: RegisterRoutes = (app, { deps, config }) => {
  app.post(QUERY_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES, emptyAs: {} });
    const input = parseInput(queryBody, body.value, 'body');
    const page = await tracedQueryDocuments(deps, { collection: c.req.param('collection'), ...input });
    return c.json(page);
  });
};

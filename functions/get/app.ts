import { getDocument } from '../../shared/application/get-document.js';
import { etagOf, ifNoneMatchHits } from '../../shared/domain/values.js';
import { documentResponse } from '../../shared/runtime/http/document-response.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { DOCUMENT_PATH } from '../../shared/runtime/http/routes.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedGetDocument = tracedUseCase('getDocument', getDocument);

/** `GET /v1/collections/{c}/documents/{id}` → 200 with ETag, or 304 when If-None-Match names the version. */
export const registerGet: RegisterRoutes = (app, { deps }) => {
  app.get(DOCUMENT_PATH, async (c) => {
    const document = await tracedGetDocument(deps, { collection: c.req.param('collection'), id: c.req.param('id') });
    if (ifNoneMatchHits(c.req.header('if-none-match'), document.version)) {
      return new Response(null, { status: 304, headers: { ETag: etagOf(document.version) } });
    }
    return documentResponse(document, 200);
  });
};

import { deleteDocument } from '../../shared/application/delete-document.js';
import { parseIfMatch } from '../../shared/domain/values.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { DOCUMENT_PATH } from '../../shared/runtime/http/routes.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedDeleteDocument = tracedUseCase('deleteDocument', deleteDocument);

/** `DELETE /v1/collections/{c}/documents/{id}` → 204; If-Match with another version → 412 and nothing changes. */
export const registerDelete: RegisterRoutes = (app, { deps }) => {
  app.delete(DOCUMENT_PATH, async (c) => {
    await tracedDeleteDocument(deps, {
      collection: c.req.param('collection'),
      id: c.req.param('id'),
      expectedVersion: parseIfMatch(c.req.header('if-match')),
    });
    return c.body(null, 204);
  });
};

import { bulkDelete } from '../../shared/application/bulk-change.js';
import { deleteDocument } from '../../shared/application/delete-document.js';
import { parseIfMatch, refuseIfNoneMatch } from '../../shared/domain/values.js';
import { bulkTurns } from '../../shared/runtime/http/bulk-admission.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, parseJsonBody, receiveJsonBody } from '../../shared/runtime/http/request-body.js';
import { BULK_DELETE_PATH, DOCUMENT_PATH } from '../../shared/runtime/http/routes.js';
import { bulkDeleteBody, parseInput } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedDeleteDocument = tracedUseCase('deleteDocument', deleteDocument);
const tracedBulkDelete = tracedUseCase('bulkDelete', bulkDelete);

/**
 * `DELETE /v1/collections/{c}/documents/{id}` → 204; If-Match with another version → 412 and nothing changes.
 * `POST …/bulk/delete` → 200 `{"deleted"}`: each matching document deleted on its own.
 */
export const registerDelete: RegisterRoutes = (app, { deps, config, metrics }) => {
  const takeTurn = bulkTurns(config, metrics);
  app.delete(DOCUMENT_PATH, async (c) => {
    refuseIfNoneMatch(c.req.header('if-none-match'), 'DELETE');
    await tracedDeleteDocument(deps, {
      collection: c.req.param('collection'),
      id: c.req.param('id'),
      expectedVersion: parseIfMatch(c.req.header('if-match')),
    });
    return c.body(null, 204);
  });

  app.post(BULK_DELETE_PATH, async (c) => {
    const received = await receiveJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    return takeTurn(async () => {
      const body = parseJsonBody(received);
      const input = parseInput(bulkDeleteBody, body.value, 'body');
      const result = await tracedBulkDelete(
        { ...deps, queryTimeLimitMs: config.QUERY_MAX_TIME_MS },
        { collection: c.req.param('collection'), filter: input.filter, limit: input.limit },
      );
      return c.json(result, 200);
    });
  });
};

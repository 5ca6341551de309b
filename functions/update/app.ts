import type { Context } from 'hono';
import { updateDocument, type DocumentChange } from '../../shared/application/update-document.js';
import type { UseCaseDeps } from '../../shared/application/deps.js';
import { parseIfMatch } from '../../shared/domain/values.js';
import { documentResponse } from '../../shared/runtime/http/document-response.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';
import { DOCUMENT_PATH } from '../../shared/runtime/http/routes.js';
import { mergePatchBody, parseInput, replaceBody } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedUpdateDocument = tracedUseCase('updateDocument', updateDocument);

/**
 * `PUT` replaces data, `PATCH` (application/merge-patch+json) merges into it; both honour If-Match and never
 * create: a missing document is 404.
 */
export const registerUpdate: RegisterRoutes = (app, { deps, config }) => {
  app.put(DOCUMENT_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    return apply(c, deps, { kind: 'replace', data: parseInput(replaceBody, body.value, 'body').data });
  });

  app.patch(DOCUMENT_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: MERGE_PATCH_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    return apply(c, deps, { kind: 'merge-patch', patch: parseInput(mergePatchBody, body.value, 'body') });
  });
};

async function apply(c: Context, deps: UseCaseDeps, change: DocumentChange): Promise<Response> {
  const document = await tracedUpdateDocument(deps, {
    collection: c.req.param('collection') ?? '',
    id: c.req.param('id') ?? '',
    change,
    expectedVersion: parseIfMatch(c.req.header('if-match')),
  });
  return documentResponse(document, 200);
}

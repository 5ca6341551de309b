import { updateDocument } from '../../shared/application/update-document.js';
import { parseIfMatch } from '../../shared/domain/values.js';
import { documentResponse } from '../../shared/runtime/document-response.js';
import type { RegisterRoutes } from '../../shared/runtime/function-app.js';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/request-body.js';
import { DOCUMENT_PATH } from '../../shared/runtime/routes.js';
import { mergePatchBody, parseInput, replaceBody } from '../../shared/runtime/schemas.js';
import { tracedUseCase } from '../../shared/runtime/spans.js';

const tracedUpdateDocument = tracedUseCase('updateDocument', updateDocument);

/**
 * `PUT` replaces data, `PATCH` (application/merge-patch+json) merges into it; both honour If-Match and never
 * create: a missing document is 404.
 */
export const registerUpdate: RegisterRoutes = (app, { deps, config }) => {
  app.put(DOCUMENT_PATH, async (c) => {
    const expectedVersion = parseIfMatch(c.req.header('if-match'));
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const { data } = parseInput(replaceBody, body.value, 'body');
    const document = await tracedUpdateDocument(deps, {
      collection: c.req.param('collection'),
      id: c.req.param('id'),
      change: { kind: 'replace', data },
      expectedVersion,
    });
    return documentResponse(document, 200);
  });

  app.patch(DOCUMENT_PATH, async (c) => {
    const expectedVersion = parseIfMatch(c.req.header('if-match'));
    const body = await readJsonBody(c, { mediaType: MERGE_PATCH_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const patch = parseInput(mergePatchBody, body.value, 'body');
    const document = await tracedUpdateDocument(deps, {
      collection: c.req.param('collection'),
      id: c.req.param('id'),
      change: { kind: 'merge-patch', patch },
      expectedVersion,
    });
    return documentResponse(document, 200);
  });
};

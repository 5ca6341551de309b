import { createHash } from 'node:crypto';
import { createDocument } from '../../shared/application/create-document.js';
import { idempotencyKey } from '../../shared/domain/values.js';
import { documentResponse } from '../../shared/runtime/http/document-response.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';
import { DOCUMENTS_PATH } from '../../shared/runtime/http/routes.js';
import { createBody, parseInput } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedCreateDocument = tracedUseCase('createDocument', createDocument);

/** `POST /v1/collections/{c}/documents` → 201 with ETag "1" and Location; a replayed Idempotency-Key → the same 201. */
export const registerCreate: RegisterRoutes = (app, { deps, config }) => {
  app.post(DOCUMENTS_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const input = parseInput(createBody, body.value, 'body');
    const key = idempotencyKey(c.req.header('idempotency-key'));
    const { document, replayed } = await tracedCreateDocument(deps, {
      collection: c.req.param('collection'),
      id: input.id,
      data: input.data,
      idempotency: key === undefined ? undefined : { key, fingerprint: createHash('sha256').update(body.text).digest('base64url') },
    });
    const location = `/v1/collections/${document.collection}/documents/${encodeURIComponent(document.id)}`;
    return documentResponse(document, 201, { Location: location, ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) });
  });
};

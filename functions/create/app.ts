import { createHash } from 'node:crypto';
import { bulkCreate } from '../../shared/application/bulk-create.js';
import { createDocument } from '../../shared/application/create-document.js';
import { idempotencyKey } from '../../shared/domain/values.js';
import { documentLocation, documentResponse } from '../../shared/runtime/http/document-response.js';
import { bulkTurns } from '../../shared/runtime/http/bulk-admission.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, parseJsonBody, readJsonBody, receiveJsonBody } from '../../shared/runtime/http/request-body.js';
import { BULK_CREATE_PATH, DOCUMENTS_PATH } from '../../shared/runtime/http/routes.js';
import { bulkCreateBody, createBody, parseInput } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';
import { bulkItem } from './bulk-item.js';
import { bulkCreateReply } from './bulk-reply.js';

const tracedCreateDocument = tracedUseCase('createDocument', createDocument);
const tracedBulkCreate = tracedUseCase('bulkCreate', bulkCreate);

/** An Idempotency-Key claim: the key, with a fingerprint of the exact body it came with. */
function claimOf(key: string | undefined, bodyText: string) {
  return key === undefined ? undefined : { key, fingerprint: createHash('sha256').update(bodyText).digest('base64url') };
}

/**
 * `POST /v1/collections/{c}/documents` → 201 with ETag "1" and Location; a replayed Idempotency-Key → the same
 * 201. `POST …/bulk/create` → 200 with each item's own status, as if it had been created alone, and Retry-After
 * when an item failed with a 503.
 */
export const registerCreate: RegisterRoutes = (app, { deps, config, metrics }) => {
  const takeTurn = bulkTurns(config, metrics);
  app.post(DOCUMENTS_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const input = parseInput(createBody, body.value, 'body');
    const key = idempotencyKey(c.req.header('idempotency-key'));
    const { document, replayed } = await tracedCreateDocument(deps, {
      collection: c.req.param('collection'),
      id: input.id,
      data: input.data,
      idempotency: claimOf(key, body.text),
    });
    return documentResponse(document, 201, { Location: documentLocation(document), ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) });
  });

  app.post(BULK_CREATE_PATH, async (c) => {
    const received = await receiveJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    return takeTurn(async () => {
      const body = parseJsonBody(received);
      const input = parseInput(bulkCreateBody, body.value, 'body');
      const outcomes = await tracedBulkCreate(deps, {
        collection: c.req.param('collection'),
        items: input.documents,
        check: bulkItem,
        ordered: input.ordered ?? true,
        idempotency: claimOf(idempotencyKey(c.req.header('idempotency-key')), body.text),
      });
      const { results, headers } = bulkCreateReply(outcomes);
      return c.json({ results }, 200, headers);
    });
  });
};

import type { Context } from 'hono';
import { updateDocument, type DocumentChange } from '../../shared/application/update-document.js';
import type { UseCaseDeps } from '../../shared/application/deps.js';
import { bulkUpdate } from '../../shared/application/bulk-change.js';
import { upsertDocument } from '../../shared/application/upsert-document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import { parseCreateOnly, parseIfMatch, refuseIfNoneMatch } from '../../shared/domain/values.js';
import { documentLocation, documentResponse } from '../../shared/runtime/http/document-response.js';
import { bulkTurns } from '../../shared/runtime/http/bulk-admission.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, JSON_PATCH_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, parseJsonBody, readJsonBody, receiveJsonBody } from '../../shared/runtime/http/request-body.js';
import { BULK_UPDATE_PATH, DOCUMENT_PATH } from '../../shared/runtime/http/routes.js';
import { bulkUpdateBody, jsonPatchBody, mergePatchBody, operatorsBody, parseInput, replaceBody, replaceQuery, singleQueryParameters } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedUpdateDocument = tracedUseCase('updateDocument', updateDocument);
const tracedUpsertDocument = tracedUseCase('upsertDocument', upsertDocument);
const tracedBulkUpdate = tracedUseCase('bulkUpdate', bulkUpdate);

/**
 * `PUT` replaces data; `PATCH` changes part of it, read by its Content-Type: a merge patch, update operators
 * (application/json) or a JSON Patch. Both honour If-Match; a missing document is 404, except that `PUT
 * ?upsert=true` creates it (201) and `PUT` with `If-None-Match: *` only ever creates (412 when it exists).
 * `POST …/bulk/update` applies operators to every document a filter matches.
 */
const PATCH_MEDIA_TYPES = [MERGE_PATCH_MEDIA_TYPE, JSON_MEDIA_TYPE, JSON_PATCH_MEDIA_TYPE];

export const registerUpdate: RegisterRoutes = (app, { deps, config, metrics }) => {
  const takeTurn = bulkTurns(config, metrics);
  app.put(DOCUMENT_PATH, async (c) => {
    const upsert = parseInput(replaceQuery, singleQueryParameters(c.req.queries()), 'query').upsert === 'true';
    const createOnly = parseCreateOnly(c.req.header('if-none-match'));
    // `If-Match: *` names no version but still says the document must exist (RFC 9110), so it counts here too.
    // Checked before the body is read; `apply` reads the version from it.
    const ifMatch = c.req.header('if-match');
    parseIfMatch(ifMatch);
    if (createOnly && ifMatch !== undefined) {
      throw new InvalidInputError('If-Match and If-None-Match: * contradict each other', [{ path: 'If-None-Match', message: 'cannot be sent with If-Match' }]);
    }
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const data = parseInput(replaceBody, body.value, 'body').data;
    // With If-Match the caller names a version it read, so there is nothing to create: a plain conditional replace.
    if (!createOnly && (!upsert || ifMatch !== undefined)) return apply(c, deps, config.MAX_BODY_BYTES, { kind: 'replace', data });
    const { document, created } = await tracedUpsertDocument(deps, {
      collection: c.req.param('collection') ?? '',
      id: c.req.param('id') ?? '',
      data,
      mode: createOnly ? 'create-only' : 'upsert',
    });
    return documentResponse(document, created ? 201 : 200, created ? { Location: documentLocation(document) } : {});
  });

  app.patch(DOCUMENT_PATH, async (c) => {
    refuseIfNoneMatch(c.req.header('if-none-match'), 'PATCH');
    const body = await readJsonBody(c, { mediaType: PATCH_MEDIA_TYPES, maxBytes: config.MAX_BODY_BYTES });
    return apply(c, deps, config.MAX_BODY_BYTES, patchChange(body.mediaType, body.value));
  });

  app.post(BULK_UPDATE_PATH, async (c) => {
    const received = await receiveJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    return takeTurn(async () => {
      const body = parseJsonBody(received);
      const input = parseInput(bulkUpdateBody, body.value, 'body');
      const result = await tracedBulkUpdate(
        { ...deps, queryTimeLimitMs: config.QUERY_MAX_TIME_MS },
        { collection: c.req.param('collection'), filter: input.filter, update: input.update, limit: input.limit, maxDataBytes: config.MAX_BODY_BYTES },
      );
      return c.json(result, 200);
    });
  });
};

function patchChange(mediaType: string, body: unknown): DocumentChange {
  switch (mediaType) {
    case JSON_MEDIA_TYPE:
      return { kind: 'operators', update: parseInput(operatorsBody, body, 'body') };
    case JSON_PATCH_MEDIA_TYPE:
      return { kind: 'json-patch', patch: parseInput(jsonPatchBody, body, 'body') };
    default:
      return { kind: 'merge-patch', patch: parseInput(mergePatchBody, body, 'body') };
  }
}

async function apply(c: Context, deps: UseCaseDeps, maxDataBytes: number, change: DocumentChange): Promise<Response> {
  const document = await tracedUpdateDocument(deps, {
    collection: c.req.param('collection') ?? '',
    id: c.req.param('id') ?? '',
    change,
    expectedVersion: parseIfMatch(c.req.header('if-match')),
    maxDataBytes,
  });
  return documentResponse(document, 200);
}

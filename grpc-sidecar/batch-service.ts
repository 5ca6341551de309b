import type { JsonObject } from '../shared/domain/document.js';
import { collectionName, idempotencyKey } from '../shared/domain/values.js';
import { toProblem, type Problem } from '../shared/runtime/http/problem.js';
import { JSON_MEDIA_TYPE } from '../shared/runtime/http/request-body.js';
import { BULK_CREATE_PATH, BULK_DELETE_PATH, BULK_UPDATE_PATH, pathOf } from '../shared/runtime/http/routes.js';
import type { Unary } from './document-service.js';
import { messageOf } from './grpc-error.js';
import { BODY, IDEMPOTENCY_KEY_NAMES, type FieldNames } from './field-names.js';
import type { Forwarder } from './forwarder.js';
import type { BatchCreateItem__Output } from './generated/dbsvc/v1/BatchCreateItem.js';
import type { BatchItemResult } from './generated/dbsvc/v1/BatchItemResult.js';
import type { DocumentServiceHandlers } from './generated/dbsvc/v1/DocumentService.js';
import type { Struct__Output } from './generated/google/protobuf/Struct.js';
import { structToJson } from './struct.js';

/** One item of a bulk create's REST answer. */
type ItemJson =
  | { readonly status: number; readonly id: string; readonly version: number }
  | { readonly status: number; readonly problem: Pick<Problem, 'type' | 'title' | 'status' | 'detail' | 'errors'> };

/** An item's result, its problem's detail naming the request message's fields (`idempotency_key`, not the header). */
function toItemMessage(item: ItemJson): BatchItemResult {
  if ('problem' in item) {
    const { type, title, status, detail, errors } = item.problem;
    return { status: item.status, problem: { type, title, status, detail: messageOf(status, detail, errors ?? [], IDEMPOTENCY_KEY_NAMES) } };
  }
  return { status: item.status, id: item.id, version: String(item.version) };
}

/**
 * The documents a batch update or delete selects: its filter and limit. An unset filter stays unset, so the
 * function refuses it as REST does (`{}` selects every document and must be asked for), instead of reading as all.
 */
function selection(request: { readonly filter: Struct__Output | null; readonly limit: number }): JsonObject {
  const body: JsonObject = {};
  if (request.filter) body.filter = structToJson(request.filter, 'filter');
  if (request.limit !== 0) body.limit = request.limit;
  return body;
}

/** What the function answers for a placeholder it tried: its data is not an object. */
const REFUSED = 400;

/**
 * A batch create's items as the function takes them, each in its place. An item whose data JSON cannot hold
 * (a NaN or an unset Value in its Struct) goes as a placeholder the function refuses, so every other item keeps
 * its index and an ordered batch still stops there; its result is then this item's own problem. Ids are not
 * checked here: the function answers a bad one for its item alone, as REST does.
 */
function itemsToForward(items: readonly BatchCreateItem__Output[]) {
  const refused = new Map<number, Problem>();
  const documents = items.map((item, index) => {
    const document: JsonObject = item.id ? { id: item.id } : {};
    try {
      document.data = item.data ? structToJson(item.data, `documents[${index}].data`) : {};
    } catch (error) {
      refused.set(index, toProblem(error).problem);
      document.data = null;
    }
    return document;
  });
  return { documents, refused };
}

/** The batch RPCs, each one request to the function that serves its bulk route (docs/api.md "Bulk"). */
export function batchServiceHandlers(
  forwarder: Forwarder,
  unary: Unary,
): Pick<DocumentServiceHandlers, 'BatchCreateDocuments' | 'BatchUpdateDocuments' | 'BatchDeleteDocuments'> {
  const post = (collection: string, template: string, body: JsonObject) => ({
    method: 'POST' as const,
    path: pathOf(template, { collection: collectionName(collection) }),
    headers: { 'content-type': JSON_MEDIA_TYPE } as Record<string, string>,
    body: JSON.stringify(body),
  });
  return {
    BatchCreateDocuments: unary(async (request, call) => {
      const { documents, refused } = itemsToForward(request.documents);
      // `optional`: only a field the client set counts (an unset bool would read as false, i.e. unordered).
      const ordered = request._ordered === 'ordered' ? request.ordered === true : true;
      const forwarded = post(request.collection, BULK_CREATE_PATH, { documents, ordered });
      if (request.idempotency_key) forwarded.headers['idempotency-key'] = idempotencyKey(request.idempotency_key)!;
      // With a key a retry replays; without one it would create again.
      const reply = await forwarder.forward('create', forwarded, call, { idempotent: request.idempotency_key !== '' });
      const results = (JSON.parse(reply.text) as { results: ItemJson[] }).results.map(toItemMessage);
      // Where the function refused a placeholder, the item's own problem; where it answered 424, an ordered batch
      // had stopped before the item, and that stands.
      for (const [index, problem] of refused) {
        if (results[index]?.status === REFUSED) results[index] = toItemMessage({ status: problem.status, problem });
      }
      return { results };
    }, () => BATCH_CREATE_NAMES),

    BatchUpdateDocuments: unary(async (request, call) => {
      const body = selection(request);
      if (request.update) body.update = structToJson(request.update, 'update');
      const reply = await forwarder.forward('update', post(request.collection, BULK_UPDATE_PATH, body), call, { idempotent: false });
      const { matched, modified } = JSON.parse(reply.text) as { matched: number; modified: number };
      return { matched: String(matched), modified: String(modified) };
    }),

    BatchDeleteDocuments: unary(async (request, call) => {
      const body = selection(request);
      const reply = await forwarder.forward('delete', post(request.collection, BULK_DELETE_PATH, body), call, { idempotent: false });
      return { deleted: String((JSON.parse(reply.text) as { deleted: number }).deleted) };
    }),
  };
}

/** documents are the body ({documents, ordered}). */
const BATCH_CREATE_NAMES: FieldNames = new Map([...IDEMPOTENCY_KEY_NAMES, [BODY, 'documents']]);

import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import type { JsonObject } from '../shared/domain/document.js';
import { collectionName, documentId } from '../shared/domain/values.js';
import { JSON_MEDIA_TYPE } from '../shared/runtime/http/request-body.js';
import { BULK_CREATE_PATH, BULK_DELETE_PATH, BULK_UPDATE_PATH, pathOf } from '../shared/runtime/http/routes.js';
import type { Forwarder } from './forwarder.js';
import type { BatchItemResult } from './generated/dbsvc/v1/BatchItemResult.js';
import type { DocumentServiceHandlers } from './generated/dbsvc/v1/DocumentService.js';
import { structToJson } from './struct.js';

type Unary = <Req, Res>(run: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>) => handleUnaryCall<Req, Res>;

/** One item of a bulk create's REST answer. */
type ItemJson =
  | { readonly status: number; readonly id: string; readonly version: number }
  | { readonly status: number; readonly problem: { type: string; title: string; status: number; detail: string } };

function toItemMessage(item: ItemJson): BatchItemResult {
  if ('problem' in item) {
    const { type, title, status, detail } = item.problem;
    return { status: item.status, problem: { type, title, status, detail } };
  }
  return { status: item.status, id: item.id, version: String(item.version) };
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
      const documents = request.documents.map((item, i) => ({
        ...(item.id ? { id: documentId(item.id) } : {}),
        data: item.data ? structToJson(item.data, `documents[${i}].data`) : {},
      }));
      // `optional`: only a field the client set counts (an unset bool would read as false, i.e. unordered).
      const ordered = request._ordered === 'ordered' ? request.ordered === true : true;
      const forwarded = post(request.collection, BULK_CREATE_PATH, { documents, ordered });
      if (request.idempotency_key) forwarded.headers['idempotency-key'] = request.idempotency_key;
      // With a key a retry replays; without one it would create again.
      const reply = await forwarder.forward('create', forwarded, call, { idempotent: request.idempotency_key !== '' });
      return { results: (JSON.parse(reply.text) as { results: ItemJson[] }).results.map(toItemMessage) };
    }),

    BatchUpdateDocuments: unary(async (request, call) => {
      const body: JsonObject = {
        filter: request.filter ? structToJson(request.filter, 'filter') : {},
        update: request.update ? structToJson(request.update, 'update') : {},
      };
      if (request.limit !== 0) body.limit = request.limit;
      const reply = await forwarder.forward('update', post(request.collection, BULK_UPDATE_PATH, body), call, { idempotent: false });
      const { matched, modified } = JSON.parse(reply.text) as { matched: number; modified: number };
      return { matched: String(matched), modified: String(modified) };
    }),

    BatchDeleteDocuments: unary(async (request, call) => {
      const body: JsonObject = { filter: request.filter ? structToJson(request.filter, 'filter') : {} };
      if (request.limit !== 0) body.limit = request.limit;
      const reply = await forwarder.forward('delete', post(request.collection, BULK_DELETE_PATH, body), call, { idempotent: false });
      return { deleted: String((JSON.parse(reply.text) as { deleted: number }).deleted) };
    }),
  };
}

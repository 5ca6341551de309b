import { type handleUnaryCall, type Metadata, type ServerUnaryCall, type StatusObject, status } from '@grpc/grpc-js';
import type { Document as DocumentJson, JsonObject } from '../shared/domain/document.js';
import { collectionName, documentId, idempotencyKey, isVersionText } from '../shared/domain/values.js';
import type { Log } from '../shared/runtime/observability/logger.js';
import { inRpcServerSpan } from './rpc-spans.js';
import { withCallerTrace } from '../shared/runtime/observability/caller-trace.js';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from '../shared/runtime/http/request-body.js';
import { DOCUMENT_PATH, DOCUMENTS_PATH, pathOf, QUERY_PATH } from '../shared/runtime/http/routes.js';
import type { FunctionRequest } from './function-client.js';
import type { Forwarder } from './forwarder.js';
import { type GrpcMetrics, observeUnaryCall } from './grpc-metrics.js';
import type { DocumentServiceHandlers } from './generated/dbsvc/v1/DocumentService.js';
import type { QueryDocumentsRequest__Output } from './generated/dbsvc/v1/QueryDocumentsRequest.js';
import type { UpdateDocumentRequest__Output } from './generated/dbsvc/v1/UpdateDocumentRequest.js';
import { toDocumentMessage } from './document-message.js';
import { batchServiceHandlers } from './batch-service.js';
import { indexServiceHandlers, toPlanMessage, type PlanJson } from './index-service.js';
import { BODY, IDEMPOTENCY_KEY_NAMES, SAME_NAMES, type FieldNames } from './field-names.js';
import { toGrpcError } from './grpc-error.js';
import { invalidField } from './invalid-field.js';
import { keyFieldNames, orderedKeys } from './ordered-keys.js';
import { structToJson } from './struct.js';

/**
 * The RPCs as requests to the functions. Names are checked here with the domain's own rules, so a
 * bad collection or id is INVALID_ARGUMENT before any function is called (an empty one would otherwise
 * become another route); everything else is the function's to judge.
 */
export function documentServiceHandlers(forwarder: Forwarder, log: Log, metrics: GrpcMetrics): DocumentServiceHandlers {
  const unary = unaryHandler(log, metrics);
  return {
    CreateDocument: unary(async (request, call) => {
      const collection = collectionName(request.collection);
      const body = { ...(request.id ? { id: documentId(request.id) } : {}), data: request.data ? structToJson(request.data, 'data') : {} };
      const headers: Record<string, string> = { 'content-type': JSON_MEDIA_TYPE };
      if (request.idempotency_key) headers['idempotency-key'] = idempotencyKey(request.idempotency_key)!;
      const reply = await forwarder.forward(
        'create',
        { method: 'POST', path: pathOf(DOCUMENTS_PATH, { collection }), headers, body: JSON.stringify(body) },
        call,
        { idempotent: request.idempotency_key !== '' },
      );
      return toDocumentMessage(JSON.parse(reply.text) as DocumentJson);
    }, () => CREATE_NAMES),

    GetDocument: unary(async (request, call) => {
      const path = documentPath(request.collection, request.id);
      const reply = await forwarder.forward('get', { method: 'GET', path, headers: {} }, call, { idempotent: true });
      return toDocumentMessage(JSON.parse(reply.text) as DocumentJson);
    }),

    UpdateDocument: unary(async (request, call) => {
      const path = documentPath(request.collection, request.id);
      const versioned = versionHeaders(request.expected_version);
      let change: FunctionRequest;
      if (request.upsert && request.change !== 'data') throw invalidField('upsert', 'only with data (a replacement)');
      if (request.change === 'data' && request.data) {
        const body = JSON.stringify({ data: structToJson(request.data, 'data') });
        const target = request.upsert ? `${path}?upsert=true` : path;
        change = { method: 'PUT', path: target, headers: { ...versioned, 'content-type': JSON_MEDIA_TYPE }, body };
      } else if (request.change === 'merge_patch' && request.merge_patch) {
        const body = JSON.stringify(structToJson(request.merge_patch, 'merge_patch'));
        change = { method: 'PATCH', path, headers: { ...versioned, 'content-type': MERGE_PATCH_MEDIA_TYPE }, body };
      } else if (request.change === 'update' && request.update) {
        const body = JSON.stringify(structToJson(request.update, 'update'));
        change = { method: 'PATCH', path, headers: { ...versioned, 'content-type': JSON_MEDIA_TYPE }, body };
      } else {
        throw invalidField('change', 'set one of data (replace), merge_patch or update');
      }
      const reply = await forwarder.forward('update', change, call, { idempotent: 'if-match' in versioned, guarded: 'if-match' in versioned });
      return toDocumentMessage(JSON.parse(reply.text) as DocumentJson);
    }, updateNames),

    DeleteDocument: unary(async (request, call) => {
      const path = documentPath(request.collection, request.id);
      const headers = versionHeaders(request.expected_version);
      await forwarder.forward('delete', { method: 'DELETE', path, headers }, call, { idempotent: 'if-match' in headers, guarded: 'if-match' in headers });
      return {};
    }, () => EXPECTED_VERSION_NAMES),

    QueryDocuments: unary(async (request, call) => {
      const collection = collectionName(request.collection);
      const reply = await forwarder.forward(
        'query',
        { method: 'POST', path: pathOf(QUERY_PATH, { collection }), headers: { 'content-type': JSON_MEDIA_TYPE }, body: JSON.stringify(queryBody(request)) },
        call,
        { idempotent: true },
      );
      const page = JSON.parse(reply.text) as { documents?: DocumentJson[]; nextCursor?: string | null; plan?: PlanJson };
      if (page.plan) return { documents: [], next_cursor: '', plan: toPlanMessage(page.plan) };
      return { documents: (page.documents ?? []).map(toDocumentMessage), next_cursor: page.nextCursor ?? '' };
    }, queryNames),

    ...indexServiceHandlers(forwarder, unary),
    ...batchServiceHandlers(forwarder, unary),
  };
}

/**
 * Runs a handler and answers with its result, or with the gRPC status its failure maps to. Each call is a
 * server span (continuing the caller's `traceparent` metadata) and counts in the gRPC server metrics.
 * `fieldsOf`: the REST names the function may use for fields of this request, looked up only when it fails.
 */
export function unaryHandler(log: Log, metrics: GrpcMetrics) {
  return <Req, Res>(
      run: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
      fieldsOf: (request: Req) => FieldNames = () => SAME_NAMES,
    ): handleUnaryCall<Req, Res> =>
    (call, callback) => {
      const started = performance.now();
      const path = call.getPath();
      const rpc = { method: path.slice(1), metadata: (key: string) => metadataValue(call.metadata, key) };
      const finish = (code: status) => observeUnaryCall(metrics, path, status[code], (performance.now() - started) / 1000);
      // Failures become their gRPC status inside the span, so the span names it and an error line carries its trace id.
      const work = () =>
        run(call.request, call).catch((error: unknown) => {
          const grpcError = toGrpcError(error, fieldsOf(call.request));
          if (grpcError.code === status.INTERNAL || grpcError.code === status.UNKNOWN) {
            log.error('call failed', { method: path, error: String(error) });
          }
          throw grpcError;
        });
      // With tracing off no span carries the caller's trace id, so its lines name the one in its metadata.
      withCallerTrace(rpc.metadata('traceparent'), () => inRpcServerSpan(rpc, work, (grpcError) => status[(grpcError as StatusObject).code])).then(
        (response) => {
          finish(status.OK);
          callback(null, response);
        },
        (grpcError: StatusObject & Error) => {
          finish(grpcError.code);
          callback(grpcError);
        },
      );
    };
}

function metadataValue(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}

/** The document's route, its names checked first (collection before id, as the functions check them). */
function documentPath(collection: string, id: string): string {
  return pathOf(DOCUMENT_PATH, { collection: collectionName(collection), id: documentId(id) });
}

export type Unary = ReturnType<typeof unaryHandler>;

/** expected_version travels as If-Match. */
const EXPECTED_VERSION_NAMES: FieldNames = new Map([['If-Match', 'expected_version']]);

/** data is most of the body ({id, data}). */
const CREATE_NAMES: FieldNames = new Map([...IDEMPOTENCY_KEY_NAMES, [BODY, 'data']]);

/**
 * merge_patch travels as the whole body of a merge-patch PATCH, which the function calls `patch`; the change
 * set (data, merge_patch or update) is the body, and what a 413 names, also when the updated data is too large.
 */
function updateNames(request: UpdateDocumentRequest__Output): FieldNames {
  return new Map([...EXPECTED_VERSION_NAMES, ['patch', 'merge_patch'], ...(request.change ? [[BODY, request.change] as const] : [])]);
}

/** sort_keys travel as the body's `sort` object, each path one of its keys. */
function queryNames(request: QueryDocumentsRequest__Output): FieldNames {
  const names: Array<[string, string]> = [['maxTimeMs', 'max_time_ms']];
  if (request.sort_keys.length) names.push(['sort', 'sort_keys'], ...keyFieldNames(request.sort_keys, 'sort', 'sort_keys'));
  return new Map(names);
}

/** expected_version 0 means unconditional; any other value is the If-Match precondition, named here when bad. */
function versionHeaders(expectedVersion: string): Record<string, string> {
  if (expectedVersion === '0') return {};
  if (!isVersionText(expectedVersion)) throw invalidField('expected_version', 'must be 0 (none) or a version from 1 to 9007199254740991');
  return { 'if-match': `"${expectedVersion}"` };
}

/** proto3 zero values (empty, 0) mean "not set", as the REST body would leave the member out. */
function queryBody(request: QueryDocumentsRequest__Output): JsonObject {
  const body: JsonObject = {};
  if (request.filter) body.filter = structToJson(request.filter, 'filter');
  if (request.sort && request.sort_keys.length) throw invalidField('sort_keys', 'send sort or sort_keys, not both');
  if (request.sort) body.sort = structToJson(request.sort, 'sort');
  if (request.sort_keys.length) body.sort = orderedKeys(request.sort_keys, 'sort_keys');
  if (request.limit !== 0) body.limit = request.limit;
  if (request.cursor) body.cursor = request.cursor;
  if (request.fields.length) body.fields = request.fields;
  if (request.explain) body.explain = true;
  if (request.max_time_ms !== 0) body.maxTimeMs = request.max_time_ms;
  return body;
}

import { validateIndexName } from '../shared/domain/indexes/index-definition.js';
import { collectionName } from '../shared/domain/values.js';
import { JSON_MEDIA_TYPE } from '../shared/runtime/http/request-body.js';
import { COUNT_PATH, INDEX_PATH, INDEXES_PATH, pathOf } from '../shared/runtime/http/routes.js';
import type { Unary } from './document-service.js';
import type { FieldNames } from './field-names.js';
import type { Forwarder } from './forwarder.js';
import type { DocumentServiceHandlers } from './generated/dbsvc/v1/DocumentService.js';
import type { CreateIndexRequest__Output } from './generated/dbsvc/v1/CreateIndexRequest.js';
import type { Index, Index__Output } from './generated/dbsvc/v1/Index.js';
import type { QueryPlan } from './generated/dbsvc/v1/QueryPlan.js';
import { invalidField } from './invalid-field.js';
import { keyFieldNames, orderedKeys } from './ordered-keys.js';
import { structToJson } from './struct.js';

/** An index as the REST API shows it. */
interface IndexJson {
  readonly name: string;
  readonly keys: Record<string, 1 | -1>;
  readonly unique: boolean;
}

/** `"plan"` of a query with `"explain": true`. */
export interface PlanJson {
  readonly index: string | null;
  readonly keysExamined: number;
  readonly documentsExamined: number;
  readonly returned: number;
  readonly durationMs: number;
}

export function toPlanMessage(plan: PlanJson): QueryPlan {
  return {
    index: plan.index ?? '',
    keys_examined: plan.keysExamined,
    documents_examined: plan.documentsExamined,
    returned: plan.returned,
    duration_ms: plan.durationMs,
  };
}

function toIndexMessage(index: IndexJson): Index {
  return { name: index.name, keys: Object.entries(index.keys).map(([path, direction]) => ({ path, direction })), unique: index.unique };
}

/** The index's REST body, its keys in the order given. */
function indexBody(index: Index__Output): { keys: Record<string, number>; unique: boolean } {
  return { keys: orderedKeys(index.keys, 'index.keys'), unique: index.unique };
}

/** The index's name and keys travel in the REST path and body, outside any `index`. */
function createIndexNames(request: CreateIndexRequest__Output): FieldNames {
  return new Map([['name', 'index.name'], ['keys', 'index.keys'], ...keyFieldNames(request.index?.keys ?? [], 'keys', 'index.keys')]);
}

const MAX_TIME_MS_NAMES: FieldNames = new Map([['maxTimeMs', 'max_time_ms']]);

/** CountDocuments goes to the query function; the index RPCs to the indexes function. */
export function indexServiceHandlers(
  forwarder: Forwarder,
  unary: Unary,
): Pick<DocumentServiceHandlers, 'CountDocuments' | 'CreateIndex' | 'ListIndexes' | 'DropIndex'> {
  return {
    CountDocuments: unary(async (request, call) => {
      const collection = collectionName(request.collection);
      const body: Record<string, unknown> = {};
      if (request.filter) body.filter = structToJson(request.filter, 'filter');
      if (request.max_time_ms !== 0) body.maxTimeMs = request.max_time_ms;
      const reply = await forwarder.forward(
        'query',
        { method: 'POST', path: pathOf(COUNT_PATH, { collection }), headers: { 'content-type': JSON_MEDIA_TYPE }, body: JSON.stringify(body) },
        call,
        { idempotent: true },
      );
      return { count: (JSON.parse(reply.text) as { count: number }).count };
    }, () => MAX_TIME_MS_NAMES),

    CreateIndex: unary(async (request, call) => {
      const collection = collectionName(request.collection);
      if (!request.index) throw invalidField('index', 'required');
      const path = pathOf(INDEX_PATH, { collection, name: validateIndexName(request.index.name) });
      const body = JSON.stringify(indexBody(request.index));
      // Idempotent: the same definition again answers 200 and changes nothing.
      const reply = await forwarder.forward('indexes', { method: 'PUT', path, headers: { 'content-type': JSON_MEDIA_TYPE }, body }, call, { idempotent: true });
      return { index: toIndexMessage(JSON.parse(reply.text) as IndexJson), created: reply.status === 201 };
    }, createIndexNames),

    ListIndexes: unary(async (request, call) => {
      const path = pathOf(INDEXES_PATH, { collection: collectionName(request.collection) });
      const reply = await forwarder.forward('indexes', { method: 'GET', path, headers: {} }, call, { idempotent: true });
      return { indexes: (JSON.parse(reply.text) as { indexes: IndexJson[] }).indexes.map(toIndexMessage) };
    }),

    DropIndex: unary(async (request, call) => {
      const path = pathOf(INDEX_PATH, { collection: collectionName(request.collection), name: validateIndexName(request.name) });
      await forwarder.forward('indexes', { method: 'DELETE', path, headers: {} }, call, { idempotent: false });
      return {};
    }),
  };
}

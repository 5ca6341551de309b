import * as z from 'zod/mini';
import { BULK_CREATE_PATH, BULK_DELETE_PATH, BULK_UPDATE_PATH, COUNT_PATH, DOCUMENT_PATH, DOCUMENTS_PATH, INDEX_PATH, INDEXES_PATH, QUERY_PATH } from '../shared/runtime/http/routes.js';
import {
  bulkCreateBody,
  bulkCreateResponse,
  bulkDeleteBody,
  bulkDeleteResponse,
  bulkUpdateBody,
  bulkUpdateResponse,
  collectionParam,
  countBody,
  countResponse,
  createBody,
  documentSchema,
  idParam,
  indexBody,
  indexesResponse,
  indexNameParam,
  indexSchema,
  jsonPatchBody,
  mergePatchBody,
  operatorsBody,
  problemSchema,
  queryBody,
  queryPlanResponse,
  queryResponse,
  replaceBody,
} from '../shared/runtime/http/schemas.js';
import { JSON_MEDIA_TYPE, JSON_PATCH_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from '../shared/runtime/http/request-body.js';
import { PROBLEM_CONTENT_TYPE } from '../shared/runtime/http/problem.js';

/**
 * The OpenAPI 3.1 document of the REST contract, generated from the same zod schemas the functions validate
 * with. Built in the gateway, not in the functions, so its cost never touches a cold start.
 */
type Json = Record<string, unknown>;

const schema = (s: z.ZodMiniType): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

type Headers = Record<string, { description: string; schema: { type: string } }>;
const problem = (description: string, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ETAG: Headers = { ETag: { description: 'The version in quotes, e.g. "3"', schema: { type: 'string' } } };
const LOCATION: Headers = { Location: { description: "The created document's path", schema: { type: 'string' } } };
const RETRY_AFTER: Headers = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'string' } } };
const documentReply = (description: string, headers: Headers = {}) => ({
  description,
  headers: { ...ETAG, ...headers },
  content: { [JSON_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Document' } } },
});
const jsonBody = (s: z.ZodMiniType, example: unknown, mediaType = JSON_MEDIA_TYPE, required = true) => ({
  required,
  content: { [mediaType]: { schema: schema(s), example } },
});

const WWW_AUTHENTICATE: Headers = { 'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750)', schema: { type: 'string' } } };
const ERRORS = {
  '400': problem('Invalid input: a bad collection, id, body, header or filter; the detail names it'),
  '401': problem('Missing or bad credentials', WWW_AUTHENTICATE),
  '403': problem('Not allowed for this collection or operation'),
  '429': problem('Rate limited; see Retry-After', RETRY_AFTER),
  '503': problem('A dependency is down; see Retry-After', RETRY_AFTER),
};
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'Apply only at this version: "<version>"', schema: { type: 'string' } };
/**
 * The examples make one session that works against a fresh store, in this order: create `people/ada`, read,
 * replace and patch it, query and count, build and drop an index, bulk create, update and delete two others,
 * delete it (test/e2e/openapi.test.ts sends each one to the real API).
 */
const EXAMPLE = { collection: 'people', id: 'ada', index: 'by_city' } as const;
const ADA = { name: 'Ada Lovelace', city: 'London', born: 1815, tags: ['math'] };

const params = (...names: Array<'collection' | 'id'>) =>
  names.map((name) => ({ name, in: 'path', required: true, schema: schema(name === 'collection' ? collectionParam : idParam), example: EXAMPLE[name] }));

const indexName = { name: 'name', in: 'path', required: true, schema: schema(indexNameParam), example: EXAMPLE.index };

const TAGS = [
  { name: 'Documents', description: 'One document: create, read, replace, patch, delete' },
  { name: 'Query', description: 'Filter, sort and page through a collection; count' },
  { name: 'Bulk', description: 'Many documents in one request' },
  { name: 'Indexes', description: 'Secondary indexes of a collection' },
  { name: 'Operations', description: "The gateway's probes and metrics (no credentials needed)" },
];

export type AuthMode = 'none' | 'apikey' | 'jwt';

/** What the document says that depends on how the functions run. */
export interface ApiSettings {
  readonly authMode: AuthMode;
  /** QUERY_MAX_TIME_MS: the most a query's or count's maxTimeMs may ask for. */
  readonly queryMaxTimeMs: number;
}

/** A request body's schema whose `maxTimeMs` is bounded by the configured ceiling, as the function checks it. */
function withMaxTime(body: Json, queryMaxTimeMs: number): Json {
  const { content } = body as { content: Record<string, { schema: { properties: Record<string, Json> } }> };
  const { properties } = content[JSON_MEDIA_TYPE]!.schema;
  properties.maxTimeMs = { ...properties.maxTimeMs, maximum: queryMaxTimeMs, description: `At most QUERY_MAX_TIME_MS (${queryMaxTimeMs} ms here), also the default` };
  return body;
}

/** How callers authenticate (docs/security.md): both modes send `Authorization: Bearer …`. */
const SECURITY_SCHEMES = {
  apikey: { type: 'http', scheme: 'bearer', description: 'An API key: one of the secrets in API_KEYS; its name is the caller\'s role' },
  jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT from the configured issuer; its roles claim (JWT_ROLES_CLAIM) names the roles' },
} as const;

const PUBLIC = { security: [] };
const textReply = (description: string, mediaType: string) => ({ description, content: { [mediaType]: { schema: { type: 'string' } } } });

/** With authentication on, every API operation requires the mode's scheme; the probes never do. */
export function buildOpenApiDocument({ authMode, queryMaxTimeMs }: ApiSettings): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Database Service',
      version: '1',
      description:
        'Create, get, update, delete and query JSON documents with optimistic locking (ETag = version).' +
        (authMode === 'none' ? ' Authentication is off (AUTH_MODE=none).' : ` Requests carry Authorization: Bearer <${authMode === 'jwt' ? 'JWT' : 'API key'}>.`),
    },
    tags: TAGS,
    ...(authMode === 'none' ? {} : { security: [{ [authMode]: [] }] }),
    paths: {
      [toOpenApiPath(DOCUMENTS_PATH)]: {
        post: {
          operationId: 'createDocument',
          summary: 'Create a document',
          tags: ['Documents'],
          parameters: [
            ...params('collection'),
            { name: 'Idempotency-Key', in: 'header', required: false, description: 'A retry with the same key returns the same document', schema: { type: 'string', maxLength: 255 } },
          ],
          requestBody: jsonBody(createBody, { id: EXAMPLE.id, data: ADA }),
          responses: { '201': documentReply('Created; Location names the document', {
              ...LOCATION,
              'Idempotent-Replayed': { description: '"true" when an Idempotency-Key retry replays the first answer', schema: { type: 'string' } },
            }), '409': problem('The id already exists, or a unique index holds the key (urn:dbsvc:problem:duplicate-key)'), '413': problem('Body too large'), '415': problem('Not application/json'), ...ERRORS },
        },
      },
      [toOpenApiPath(DOCUMENT_PATH)]: {
        get: {
          operationId: 'getDocument',
          summary: 'Get a document',
          tags: ['Documents'],
          parameters: [...params('collection', 'id'), { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { '200': documentReply('The document'), '304': { description: 'Not modified', headers: ETAG }, '404': problem('No such document'), ...ERRORS },
        },
        put: {
          operationId: 'replaceDocument',
          summary: 'Replace a document (or create it with ?upsert=true)',
          tags: ['Documents'],
          parameters: [
            ...params('collection', 'id'),
            ifMatch,
            { name: 'If-None-Match', in: 'header', required: false, description: '"*": create only (412 when the document exists)', schema: { type: 'string', const: '*' } },
            { name: 'upsert', in: 'query', required: false, description: 'true: create the document when it is absent (201)', schema: schema(z.enum(['true', 'false'])) },
          ],
          requestBody: jsonBody(replaceBody, { data: { ...ADA, tags: ['math', 'poetry'] } }),
          responses: {
            '200': documentReply('Replaced'),
            '201': documentReply('Created (?upsert=true or If-None-Match: *); Location names the document', LOCATION),
            '404': problem('No such document (without ?upsert=true)'),
            '409': problem('A unique index holds the key (urn:dbsvc:problem:duplicate-key)'),
            '412': problem('Version mismatch, or If-None-Match: * and the document exists'),
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            ...ERRORS,
          },
        },
        patch: {
          operationId: 'patchDocument',
          summary: 'Patch a document: merge patch, update operators or JSON Patch',
          tags: ['Documents'],
          parameters: [...params('collection', 'id'), ifMatch],
          description:
            'The Content-Type says what the body is: an RFC 7386 merge patch, MongoDB update operators (application/json, every top-level key an operator) or an RFC 6902 JSON Patch. Applied atomically.',
          requestBody: {
            required: true,
            content: {
              [MERGE_PATCH_MEDIA_TYPE]: { schema: schema(mergePatchBody), example: { city: 'Marylebone', nickname: null } },
              [JSON_MEDIA_TYPE]: { schema: schema(operatorsBody), example: { $set: { city: 'London' }, $push: { tags: 'engines' } } },
              [JSON_PATCH_MEDIA_TYPE]: {
                schema: schema(jsonPatchBody),
                example: [
                  { op: 'test', path: '/name', value: 'Ada Lovelace' },
                  { op: 'add', path: '/title', value: 'Countess of Lovelace' },
                ],
              },
            },
          },
          responses: {
            '200': documentReply('Patched'),
            '404': problem('No such document'),
            '409': problem('A unique index holds the key (urn:dbsvc:problem:duplicate-key)'),
            '412': problem('Version mismatch, or a JSON Patch test failed'),
            '413': problem('Body too large, or the patched data would be'),
            '415': problem('Not one of the three patch media types'),
            ...ERRORS,
          },
        },
        delete: {
          operationId: 'deleteDocument',
          summary: 'Delete a document',
          tags: ['Documents'],
          parameters: [...params('collection', 'id'), ifMatch],
          responses: { '204': { description: 'Deleted' }, '404': problem('No such document'), '412': problem('Version mismatch'), ...ERRORS },
        },
      },
      [toOpenApiPath(BULK_CREATE_PATH)]: {
        post: {
          operationId: 'bulkCreateDocuments',
          summary: 'Create many documents',
          tags: ['Bulk'],
          description:
            'Each item ({"id"?, "data"}) is created on its own, as a create alone; its result carries the status it would have had alone. ordered (default true) stops at the first failure: later items are 424. With Idempotency-Key a retry replays the created items.',
          parameters: [...params('collection'), { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: jsonBody(bulkCreateBody, {
            documents: [
              { id: 'grace', data: { name: 'Grace Hopper', city: 'New York', status: 'retired' } },
              { data: { name: 'Alan Turing', city: 'Manchester', status: 'retired' } },
            ],
            ordered: true,
          }),
          responses: {
            '200': {
              description: 'One result per item, in order; when an item failed 503, Retry-After is the longest of their waits',
              headers: RETRY_AFTER,
              content: { [JSON_MEDIA_TYPE]: { schema: schema(bulkCreateResponse) } },
            },
            '413': problem('Body too large'), '415': problem('Not application/json'), ...ERRORS },
        },
      },
      [toOpenApiPath(BULK_UPDATE_PATH)]: {
        post: {
          operationId: 'bulkUpdateDocuments',
          summary: 'Update every matching document',
          tags: ['Bulk'],
          description: 'Applies update operators to each matching document (at most limit), each its own atomic change; the first failure stops the request, earlier changes stay.',
          parameters: params('collection'),
          requestBody: jsonBody(bulkUpdateBody, { filter: { status: 'retired' }, update: { $set: { status: 'archived' } }, limit: 100 }),
          responses: {
            '200': { description: 'How many matched, and how many the update changed', content: { [JSON_MEDIA_TYPE]: { schema: schema(bulkUpdateResponse) } } },
            '409': problem('A unique index holds the key (urn:dbsvc:problem:duplicate-key)'),
            '413': problem('Body too large, or the data a document would get'),
            '415': problem('Not application/json'),
            ...ERRORS,
            '503': problem('A dependency is down, or the request ran past QUERY_MAX_TIME_MS (urn:dbsvc:problem:query-timeout); see Retry-After', RETRY_AFTER),
          },
        },
      },
      [toOpenApiPath(BULK_DELETE_PATH)]: {
        post: {
          operationId: 'bulkDeleteDocuments',
          summary: 'Delete every matching document',
          tags: ['Bulk'],
          description: 'Deletes each matching document (at most limit), each its own change with its tombstone.',
          parameters: params('collection'),
          requestBody: jsonBody(bulkDeleteBody, { filter: { status: 'archived' }, limit: 100 }),
          responses: {
            '200': { description: 'How many were deleted', content: { [JSON_MEDIA_TYPE]: { schema: schema(bulkDeleteResponse) } } },
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            ...ERRORS,
            '503': problem('A dependency is down, or the request ran past QUERY_MAX_TIME_MS (urn:dbsvc:problem:query-timeout); see Retry-After', RETRY_AFTER),
          },
        },
      },
      [toOpenApiPath(QUERY_PATH)]: {
        post: {
          operationId: 'queryDocuments',
          summary: 'Query a collection: filter, sort, fields, pages',
          tags: ['Query'],
          parameters: params('collection'),
          requestBody: withMaxTime(
            jsonBody(queryBody, { filter: { city: 'London', born: { $lt: 1900 } }, sort: { born: 1 }, limit: 10, fields: ['name', 'born'] }, JSON_MEDIA_TYPE, false),
            queryMaxTimeMs,
          ),
          responses: {
            '200': {
              description: 'A page of documents, or with "explain": true the plan (the index used, what was read)',
              content: { [JSON_MEDIA_TYPE]: { schema: { oneOf: [schema(queryResponse), schema(queryPlanResponse)] } } },
            },
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            ...ERRORS,
            '503': problem('A dependency is down, or the query ran past maxTimeMs (urn:dbsvc:problem:query-timeout); see Retry-After', RETRY_AFTER),
          },
        },
      },
      [toOpenApiPath(COUNT_PATH)]: {
        post: {
          operationId: 'countDocuments',
          summary: 'Count matching documents',
          tags: ['Query'],
          parameters: params('collection'),
          requestBody: withMaxTime(jsonBody(countBody, { filter: { city: 'London' } }, JSON_MEDIA_TYPE, false), queryMaxTimeMs),
          responses: {
            '200': { description: 'How many documents match', content: { [JSON_MEDIA_TYPE]: { schema: schema(countResponse) } } },
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            ...ERRORS,
          },
        },
      },
      [toOpenApiPath(INDEXES_PATH)]: {
        get: {
          operationId: 'listIndexes',
          summary: "List a collection's indexes",
          tags: ['Indexes'],
          parameters: params('collection'),
          responses: { '200': { description: "The collection's built indexes (one being built is listed once ready)", content: { [JSON_MEDIA_TYPE]: { schema: schema(indexesResponse) } } }, ...ERRORS },
        },
      },
      [toOpenApiPath(INDEX_PATH)]: {
        put: {
          operationId: 'createIndex',
          summary: 'Create an index',
          tags: ['Indexes'],
          parameters: [...params('collection'), indexName],
          requestBody: jsonBody(indexBody, { keys: { city: 1, born: -1 } }),
          responses: {
            '201': { description: 'Created (built over the existing documents)', content: { [JSON_MEDIA_TYPE]: { schema: schema(indexSchema) } } },
            '200': { description: 'The same definition already exists', content: { [JSON_MEDIA_TYPE]: { schema: schema(indexSchema) } } },
            '409': problem('The name has another definition, another index has the same keys and uniqueness, or a unique index meets documents sharing a key (urn:dbsvc:problem:duplicate-key)'),
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            ...ERRORS,
          },
        },
        delete: {
          operationId: 'dropIndex',
          summary: 'Drop an index',
          tags: ['Indexes'],
          parameters: [...params('collection'), indexName],
          responses: { '204': { description: 'Dropped' }, '404': problem('No such index'), ...ERRORS },
        },
      },
      '/healthz': {
        get: { operationId: 'healthz', summary: 'Liveness: the gateway runs', tags: ['Operations'], ...PUBLIC, responses: { '200': { description: '{"status": "ok"}' } } },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'Readiness: every function (and the gRPC sidecar) ready, or scaled to zero',
          tags: ['Operations'],
          ...PUBLIC,
          responses: { '200': { description: 'Ready; each process named with its state' }, '503': { description: 'Not ready; the body names what is not' } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: "Prometheus metrics of the gateway's functions and sidecar, merged",
          tags: ['Operations'],
          ...PUBLIC,
          responses: { '200': textReply('Prometheus text exposition 0.0.4', 'text/plain') },
        },
      },
    },
    components: {
      schemas: { Document: schema(documentSchema), Problem: schema(problemSchema) },
      ...(authMode === 'none' ? {} : { securitySchemes: { [authMode]: SECURITY_SCHEMES[authMode] } }),
    },
  };
}

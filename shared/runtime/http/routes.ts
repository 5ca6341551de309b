/**
 * The REST routes of each function (docs/api.md "REST"). Functions register exactly these, the local
 * gateway routes by them and the OpenAPI document lists them, so a path is spelled once.
 */
/** Every route under one collection; names are checked here before any route runs. */
export const COLLECTION_SCOPE = '/v1/collections/:collection/*';
export const DOCUMENTS_PATH = '/v1/collections/:collection/documents';
export const DOCUMENT_PATH = '/v1/collections/:collection/documents/:id';
export const QUERY_PATH = '/v1/collections/:collection/query';
export const COUNT_PATH = '/v1/collections/:collection/count';
export const INDEXES_PATH = '/v1/collections/:collection/indexes';
export const INDEX_PATH = '/v1/collections/:collection/indexes/:name';
export const BULK_CREATE_PATH = '/v1/collections/:collection/bulk/create';
export const BULK_UPDATE_PATH = '/v1/collections/:collection/bulk/update';
export const BULK_DELETE_PATH = '/v1/collections/:collection/bulk/delete';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const FUNCTION_ROUTES = {
  create: [
    { method: 'POST', path: DOCUMENTS_PATH },
    { method: 'POST', path: BULK_CREATE_PATH },
  ],
  get: [{ method: 'GET', path: DOCUMENT_PATH }],
  update: [
    { method: 'PUT', path: DOCUMENT_PATH },
    { method: 'PATCH', path: DOCUMENT_PATH },
    { method: 'POST', path: BULK_UPDATE_PATH },
  ],
  delete: [
    { method: 'DELETE', path: DOCUMENT_PATH },
    { method: 'POST', path: BULK_DELETE_PATH },
  ],
  query: [
    { method: 'POST', path: QUERY_PATH },
    { method: 'POST', path: COUNT_PATH },
  ],
  indexes: [
    { method: 'PUT', path: INDEX_PATH },
    { method: 'GET', path: INDEXES_PATH },
    { method: 'DELETE', path: INDEX_PATH },
  ],
} as const satisfies Record<string, ReadonlyArray<{ method: HttpMethod; path: string }>>;

export type FunctionName = keyof typeof FUNCTION_ROUTES;
export const FUNCTION_NAMES = Object.keys(FUNCTION_ROUTES) as FunctionName[];

/** A route template filled in, e.g. `pathOf(DOCUMENT_PATH, {collection: 'users', id: 'u1'})` (the gRPC sidecar's requests). */
export function pathOf(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** A route's path as a pattern: `:param` matches one path segment, an empty one too. */
export function routePattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[A-Za-z]+/g, '([^/]*)')}$`);
}

/**
 * The parameter a request leaves empty where one of `routes` takes it with this method, e.g. `collection` for
 * `GET /v1/collections//documents/u1`: it names a route, with no collection (or id, or index name), a 400.
 */
export function emptyParameter(routes: ReadonlyArray<{ method: string; path: string }>, method: string, path: string): string | undefined {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    const match = routePattern(route.path).exec(path);
    const names = route.path.match(/:[A-Za-z]+/g) ?? [];
    const empty = match ? names.findIndex((_, i) => match[i + 1] === '') : -1;
    if (empty >= 0) return names[empty]!.slice(1);
  }
  return undefined;
}

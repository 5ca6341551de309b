import type { FunctionName } from '../http/routes.js';
import { ConfigError, httpUrl } from './environment.js';

/** Where each function answers: its base URL (e.g. its Knative service URL). The gRPC sidecar and the gateway alone read these. */
export const FUNCTION_URL_SETTINGS = {
  FUNCTION_URL_CREATE: httpUrl,
  FUNCTION_URL_GET: httpUrl,
  FUNCTION_URL_UPDATE: httpUrl,
  FUNCTION_URL_DELETE: httpUrl,
  FUNCTION_URL_QUERY: httpUrl,
  FUNCTION_URL_INDEXES: httpUrl,
};

/** The variable that holds each function's base URL. */
export const FUNCTION_URL_VARIABLES = {
  create: 'FUNCTION_URL_CREATE',
  get: 'FUNCTION_URL_GET',
  update: 'FUNCTION_URL_UPDATE',
  delete: 'FUNCTION_URL_DELETE',
  query: 'FUNCTION_URL_QUERY',
  indexes: 'FUNCTION_URL_INDEXES',
} as const satisfies Record<FunctionName, keyof typeof FUNCTION_URL_SETTINGS>;

export type FunctionUrls = Readonly<Record<FunctionName, string>>;

/** Every function's URL from validated settings; a program that forwards to the functions cannot run without them. */
export function functionUrlsOf(config: { readonly [K in keyof typeof FUNCTION_URL_SETTINGS]?: string | undefined }): FunctionUrls {
  const entries = Object.entries(FUNCTION_URL_VARIABLES) as Array<[FunctionName, (typeof FUNCTION_URL_VARIABLES)[FunctionName]]>;
  const missing = entries.filter(([, variable]) => !config[variable]).map(([, variable]) => variable);
  if (missing.length) {
    throw new ConfigError(`invalid configuration: ${missing.join(', ')} must be set to the http(s) base URL of each function`);
  }
  return Object.fromEntries(entries.map(([name, variable]) => [name, config[variable]!])) as Record<FunctionName, string>;
}

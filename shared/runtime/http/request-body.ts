import type { Context } from 'hono';
import { InvalidInputError, UnsupportedMediaTypeError } from '../../domain/errors.js';
import { bodyTooLarge, readBodyBytes } from './body-bytes.js';

/** Media types a body may be sent as: plain JSON for create/replace/query/operators, the two patch types for PATCH. */
export const JSON_MEDIA_TYPE = 'application/json';
export const MERGE_PATCH_MEDIA_TYPE = 'application/merge-patch+json';
export const JSON_PATCH_MEDIA_TYPE = 'application/json-patch+json';

export interface JsonBody {
  readonly value: unknown;
  /** The exact bytes as text; create fingerprints them for Idempotency-Key. */
  readonly text: string;
  /** Which of the accepted media types it was sent as (lower case, without parameters). */
  readonly mediaType: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A request body read whole and checked against its headers, not yet decoded or parsed. */
export interface ReceivedBody {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  /** What an empty body reads as, when one is allowed. */
  readonly emptyAs?: unknown;
}

export interface BodyOptions {
  readonly mediaType: string | readonly string[];
  readonly maxBytes: number;
  readonly emptyAs?: unknown;
}

/**
 * Reads a JSON body of the given media type (or one of several), at most `maxBytes`: 415 for another type, 413 past the limit
 * (checked on Content-Length first and on the bytes actually read), 400 for invalid UTF-8 or JSON.
 * An empty body reads as `emptyAs` when given (query's body is optional), otherwise it is a 400.
 */
export async function readJsonBody(c: Context, options: BodyOptions): Promise<JsonBody> {
  return parseJsonBody(await receiveJsonBody(c, options));
}

/** The first half of readJsonBody: the headers' checks (413, 415) and the bytes, read whole. */
export async function receiveJsonBody(c: Context, options: BodyOptions): Promise<ReceivedBody> {
  const declaredLength = Number(c.req.header('content-length') ?? Number.NaN);
  if (declaredLength > options.maxBytes) throw bodyTooLarge(options.maxBytes);
  const contentType = c.req.header('content-type');
  const accepted = typeof options.mediaType === 'string' ? [options.mediaType] : options.mediaType;
  if (contentType === undefined && declaredLength === 0 && options.emptyAs !== undefined) {
    return { bytes: new Uint8Array(0), mediaType: accepted[0]!, emptyAs: options.emptyAs };
  }
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === undefined || !accepted.includes(mediaType)) {
    throw new UnsupportedMediaTypeError(`Content-Type must be ${accepted.join(' or ')}${contentType ? `, not ${contentType}` : ''}`);
  }
  // Bodies are read as sent: a compressed one would otherwise fail as text that is not UTF-8 (RFC 9110: 415).
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') throw new UnsupportedMediaTypeError(`Content-Encoding ${encoding} is not supported; send the body uncompressed`);
  return { bytes: await readBodyBytes(c, options.maxBytes), mediaType, emptyAs: options.emptyAs };
}

/** The second half of readJsonBody: the bytes as UTF-8 text (400 if not), then as JSON (400 if not). */
export function parseJsonBody({ bytes, mediaType, emptyAs }: ReceivedBody): JsonBody {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InvalidInputError('body is not valid UTF-8', [{ path: 'body', message: 'is not valid UTF-8' }]);
  }
  if (text.trim() === '') {
    if (emptyAs !== undefined) return { value: emptyAs, text, mediaType };
    throw new InvalidInputError('body is empty; a JSON object is required', [{ path: 'body', message: 'is empty' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'malformed';
    throw new InvalidInputError(`body is not valid JSON: ${reason}`, [{ path: 'body', message: 'is not valid JSON' }]);
  }
  rejectProtoKeys(value, text);
  return { value, text, mediaType };
}

/**
 * JSON.parse makes a `"__proto__"` member an own property; zod then drops it without a word, and any later
 * `target[key] = value` copy would turn it into a prototype change. So it is refused where JSON comes in and
 * no later step ever sees one. The text check spares the usual body the walk (an escaped key needs `\u`).
 */
function rejectProtoKeys(value: unknown, text: string): void {
  if (!text.includes('__proto__') && !text.includes('\\u')) return;
  const pending: Array<{ node: unknown; path: string }> = [{ node: value, path: 'body' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, path } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => pending.push({ node: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(node)) {
      if (key === '__proto__') {
        const at = `${path}.__proto__`;
        throw new InvalidInputError(`${at}: key '__proto__' is not allowed`, [{ path: at, message: "key '__proto__' is not allowed" }]);
      }
      pending.push({ node: (node as Record<string, unknown>)[key], path: `${path}.${key}` });
    }
  }
}

function mediaTypeOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ForbiddenError } from '../shared/domain/errors.js';
import { answerProblem } from './problem-answer.js';

/** What a browser page may read of an answer besides the safelisted headers: versions, where a document was created, when to retry. */
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, Idempotent-Replayed';
/** What a page may send: credentials, bodies, preconditions, idempotency and trace context. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, traceparent, tracestate';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** How long a browser may reuse a preflight's answer. */
const MAX_AGE_SECONDS = '600';

/**
 * Sets CORS headers for a request from an allowed origin; returns true when it answered the request itself (a
 * preflight). Requests without Origin, and non-preflight requests from other origins, pass untouched (the
 * browser then withholds the answer from the page); a preflight from another origin is 403 naming it.
 */
export type Cors = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createCors(origins: readonly string[]): Cors {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res) => {
    // With a list of origins every answer depends on Origin (its CORS headers, or their absence), so caches
    // must key on it: a copy stored for one origin, or for none, would be wrong for another.
    if (!anyOrigin) res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!anyOrigin && !allowed.has(origin)) {
      if (!preflight) return false;
      req.resume();
      void answerProblem(res, new ForbiddenError(`origin ${origin} is not in CORS_ORIGINS`));
      return true;
    }
    res.setHeader('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return false;
    }
    req.resume();
    res.writeHead(204, {
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': MAX_AGE_SECONDS,
    });
    res.end();
    return true;
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { UnavailableError } from '../shared/domain/errors.js';
import { GatewayTimeoutError } from '../shared/runtime/http/problem.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { forwardedRawHeaders } from './hop-headers.js';
import type { Origin } from './origin.js';
import { markRelayed } from './own-answers.js';
import { answerProblem } from './problem-answer.js';

/** Answers up to this size are read whole and written with their head in one go; larger ones, or without a length, stream. */
const WHOLE_ANSWER_BYTES = 64 * 2 ** 10;

/** Forwards a GET or HEAD without a body; see createReadForward. */
export type ReadForward = (origin: Origin, name: FunctionName, req: IncomingMessage, res: ServerResponse) => void;

/**
 * Reads on undici's dispatcher, not node:http's client: no ClientRequest, IncomingMessage or pipe per call,
 * which took a tenth of a millisecond off each read through the gateway (BENCHMARKS.md, "Front doors").
 * Plain-HTTP functions only; a pool per function origin, keep-alive, no Nagle delay.
 */
export function createReadForward(timeoutSeconds: number): ReadForward {
  const pools = new Map<string, Pool>();
  const poolOf = (origin: Origin) => {
    let pool = pools.get(origin.origin);
    if (!pool) {
      pool = new Pool(origin.origin, { connect: { noDelay: true } });
      pools.set(origin.origin, pool);
    }
    return pool;
  };
  return (origin, name, req, res) => {
    const pool = poolOf(origin);
    dispatch(pool, origin, name, timeoutSeconds, req, res, () => dispatch(pool, origin, name, timeoutSeconds, req, res));
  };
}

function dispatch(pool: Pool, origin: Origin, name: FunctionName, timeoutSeconds: number, req: IncomingMessage, res: ServerResponse, again?: () => void): void {
  let status = 502;
  let message = '';
  let head: string[] | undefined;
  let streaming = false;
  const chunks: Buffer[] = [];
  const headers = forwardedRawHeaders(req.rawHeaders, ['host', origin.host]);
  pool.dispatch(
    { path: `${origin.prefix}${req.url}`, method: req.method as 'GET' | 'HEAD', headers, headersTimeout: timeoutSeconds * 1000 },
    {
      onConnect(abort) {
        res.once('close', () => {
          if (!res.writableFinished) abort();
        });
      },
      onHeaders(statusCode, raw, resume, statusMessage) {
        status = statusCode;
        message = statusMessage;
        markRelayed(res);
        head = forwardedRawHeaders(raw.map((value) => value.toString('latin1')));
        const length = contentLength(head);
        if (length === undefined || length > WHOLE_ANSWER_BYTES) {
          streaming = true;
          res.writeHead(status, message, head);
          res.on('drain', resume);
        }
        return true;
      },
      onData(chunk) {
        if (streaming) return res.write(chunk);
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (!streaming) res.writeHead(status, message, head);
        if (streaming || chunks.length === 0) res.end();
        else res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      },
      onError(error: NodeJS.ErrnoException) {
        // A cut answer, or a client gone: nothing left to answer.
        if (head || res.closed) {
          res.destroy();
          return;
        }
        // Closed before any answer, as a pooled connection the function dropped while it was reused: a read is
        // safe to send once more.
        if (again && (error.code === 'UND_ERR_SOCKET' || error.code === 'ECONNRESET')) {
          again();
          return;
        }
        if (error.code === 'UND_ERR_HEADERS_TIMEOUT') void answerProblem(res, new GatewayTimeoutError(name, timeoutSeconds));
        else void answerProblem(res, new UnavailableError(`function '${name}' is not reachable`, 1, { cause: error }));
      },
    },
  );
}

function contentLength(head: readonly string[]): number | undefined {
  for (let i = 0; i < head.length; i += 2) if (head[i]!.toLowerCase() === 'content-length') return Number(head[i + 1]);
  return undefined;
}

import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { InvalidInputError, PayloadTooLargeError } from '../../domain/errors.js';

/**
 * The bytes of a request's body, at most `maxBytes` (413 past it, counted as they arrive, so neither a chunked
 * body nor a lying Content-Length can bloat memory). Served by Node (@hono/node-server), the body is read from
 * Node's own request: Hono's `arrayBuffer()` there cost about 13 µs more per POST under load (BENCHMARKS.md,
 * "Reading the body from Node's request"). Any other caller (`app.request` in a test) reads the web stream.
 */
export function readBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const incoming: unknown = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? readIncoming(incoming, maxBytes) : readStream(c.req.raw, maxBytes);
}

export function bodyTooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`body exceeds MAX_BODY_BYTES (${maxBytes} bytes)`);
}

/**
 * Past the limit it stops listening and answers 413; the stream keeps flowing to no listener, so Node reads the
 * rest off the connection and discards it, and the connection stays usable for the client's next request.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  // Destroyed already, it would never emit another event.
  if (incoming.destroyed) return Promise.reject(cutOff());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= maxBytes) chunks.push(chunk);
      else settle(() => reject(bodyTooLarge(maxBytes)));
    };
    const onEnd = () => settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
    // A client gone before the end of its body gets no answer; the 400 keeps it out of the error log.
    const onCutOff = () => settle(() => reject(cutOff()));
    const settle = (outcome: () => void) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onCutOff);
      incoming.off('close', onCutOff);
      outcome();
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onCutOff);
    incoming.on('close', onCutOff);
  });
}

async function readStream(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function cutOff(): InvalidInputError {
  return new InvalidInputError('body was cut off: the connection closed before its end', [{ path: 'body', message: 'is incomplete' }]);
}

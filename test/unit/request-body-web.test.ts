import { Hono } from 'hono';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { problemResponse } from '../../shared/runtime/http/problem.js';
import { JSON_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';

/**
 * A body handed to the app as a web Request (`app.request`, no Node server under it) is read from its stream
 * under the same limit as one a function serves over HTTP (test/e2e/request-body.test.ts).
 */
const test = suite('request bodies without a Node server');

const LIMIT = 64;
const app = new Hono();
app.onError(problemResponse);
app.post('/echo', async (c) => c.json((await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: LIMIT })).value as object));

/** A body sent as a stream of `chunks`, with no Content-Length. */
function streamed(chunks: readonly string[]): RequestInit {
  const bytes = chunks.map((chunk) => new TextEncoder().encode(chunk));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit;
}

test('a streamed body within the limit is read whole', async () => {
  const reply = await app.request('/echo', streamed(['{"a":', '"b"}']));
  assert.is(reply.status, 200);
  assert.equal(await reply.json(), { a: 'b' });
});

test('a streamed body past the limit answers 413 naming MAX_BODY_BYTES', async () => {
  const reply = await app.request('/echo', streamed(['{"a":"', 'x'.repeat(LIMIT), '"}']));
  assert.is(reply.status, 413);
  assert.ok(String(((await reply.json()) as { detail: string }).detail).includes('MAX_BODY_BYTES'));
});

test.run();

import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentServiceApi } from '../support/grpc.js';
import { request, uniqueCollection } from '../support/http.js';
import { eventually } from '../support/eventually.js';
import { type LogLine, jsonLines, waitForLine } from '../support/logs.js';
import { newTraceparent } from '../support/otlp-receiver.js';
import { freePort } from '../support/processes.js';
import { startSidecar } from '../support/sidecar.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * With tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT) a caller's W3C `traceparent` still correlates the logs:
 * every line written for its request carries its trace id, through the gateway and through the gRPC sidecar.
 */

/** The stack's JSON lines about `collection` once `count` of them are out (the stack also prints a banner). */
async function linesAbout(stack: Stack, collection: string, count: number): Promise<LogLine[]> {
  const about = () => jsonLines(stack.process.output(), { onlyObjects: true }).filter((l) => l.collection === collection);
  await eventually(async () => about().length >= count, `${count} log lines about ${collection}`);
  return about();
}

const stack = suite<{ stack: Stack & { removeData: () => void } }>('trace ids in logs with tracing off');

stack.before(async (ctx) => {
  ctx.stack = await startStack({ LOG_LEVEL: 'info' });
});
stack.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

stack("a REST request through the gateway with a traceparent: the function's access and domain-event lines carry its trace id", async ({ stack }) => {
  const caller = newTraceparent();
  const collection = uniqueCollection('rest_traced');
  const reply = await request(stack.url, 'POST', `/v1/collections/${collection}/documents`, { json: { id: 'd1', data: {} }, headers: { traceparent: caller.header } });
  assert.is(reply.status, 201);
  const lines = await linesAbout(stack, collection, 2);
  assert.equal(lines.map((l) => [l.msg, l.trace_id]), [
    ['document created', caller.traceId],
    ['request', caller.traceId],
  ]);
  // No span of this process exists to name.
  assert.equal(lines.map((l) => l.span_id), [undefined, undefined]);
});

stack("a gRPC call with traceparent metadata: the function's lines for it carry the caller's trace id", async ({ stack }) => {
  const caller = newTraceparent();
  const collection = uniqueCollection('grpc_traced');
  const api = new DocumentServiceApi(stack.grpcAddress);
  try {
    await api.create({ collection, id: 'g1' }, { metadata: { traceparent: caller.header } });
  } finally {
    api.close();
  }
  const lines = await linesAbout(stack, collection, 2);
  assert.equal(lines.map((l) => l.trace_id), [caller.traceId, caller.traceId]);
});

stack('a request without a traceparent, or with a malformed one, logs no trace id', async ({ stack }) => {
  const collection = uniqueCollection('untraced');
  const sent: Array<Record<string, string>> = [{}, { traceparent: 'not-a-traceparent' }, { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` }];
  for (const [i, headers] of sent.entries()) {
    assert.is((await request(stack.url, 'GET', `/v1/collections/${collection}/documents/none${i}`, { headers })).status, 404);
  }
  const lines = await linesAbout(stack, collection, 3);
  assert.equal(lines.map((l) => l.trace_id), [undefined, undefined, undefined]);
});

stack.run();


test("the sidecar's own lines for a call carry the trace id of the call's traceparent metadata", async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const sidecar = await startSidecar({ get: nobody }, { GRPC_RETRY_SECONDS: '1', LOG_LEVEL: 'warn' });
  const api = new DocumentServiceApi(sidecar.address);
  try {
    const caller = newTraceparent();
    const failed = await api.get({ collection: 'c', id: 'd' }, { metadata: { traceparent: caller.header } }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    assert.match(failed, /UNAVAILABLE/);
    const retrying = await waitForLine(sidecar.process, (l) => l.msg === 'retrying function call');
    assert.is(retrying.trace_id, caller.traceId);
  } finally {
    api.close();
    await sidecar.process.stop();
  }
});

test.run();

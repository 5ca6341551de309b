import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { inHttpClientSpan, inRpcServerSpan } from '../../grpc-sidecar/rpc-spans.js';
import { startSpans, stopSpans } from '../../shared/runtime/observability/spans.js';
import { newTraceparent } from '../support/otlp-receiver.js';

/** The sidecar's span helpers under the real OpenTelemetry SDK, spans kept in memory. */
const METHOD = 'dbsvc.v1.DocumentService/GetDocument';
const url = new URL('http://127.0.0.1:8081/v1/collections/c/documents/d');
const callWith = (metadata: Record<string, string>) => ({ method: METHOD, metadata: (key: string) => metadata[key] });
const statusName = (error: unknown) => (error as Error).message;

const off = suite('sidecar spans, tracing off');

off('the HTTP request carries no trace headers of its own', async () => {
  let sent: Record<string, string> | undefined;
  await inRpcServerSpan(callWith({}), () => inHttpClientSpan({ method: 'GET', url: () => url }, async (headers) => ((sent = headers), { status: 200 })), statusName);
  assert.equal(sent, {});
});

off.run();

const on = suite<{ provider: NodeTracerProvider; exporter: InMemorySpanExporter }>('sidecar spans, tracing on');

on.before((ctx) => {
  ctx.exporter = new InMemorySpanExporter();
  ctx.provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(ctx.exporter)] });
  ctx.provider.register();
  startSpans();
});
on.before.each((ctx) => ctx.exporter.reset());
on.after(async (ctx) => {
  stopSpans();
  await ctx.provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const byKind = (spans: ReadableSpan[], kind: SpanKind) => spans.filter((s) => s.kind === kind);

on('a call with a traceparent in its metadata is a server span of that trace, named by its method', async ({ exporter }) => {
  const caller = newTraceparent();
  await inRpcServerSpan(callWith({ traceparent: caller.header }), async () => 'ok', statusName);
  const [server] = exporter.getFinishedSpans();
  assert.is(server!.name, METHOD);
  assert.is(server!.kind, SpanKind.SERVER);
  assert.is(server!.spanContext().traceId, caller.traceId);
  assert.is(server!.parentSpanContext?.spanId, caller.spanId);
  assert.equal(
    { system: server!.attributes['rpc.system.name'], method: server!.attributes['rpc.method'], status: server!.attributes['rpc.status_code'] },
    { system: 'grpc', method: METHOD, status: 'OK' },
  );
});

on('a failed call names its status; only a server fault marks the span as an error', async ({ exporter }) => {
  for (const status of ['NOT_FOUND', 'UNAVAILABLE']) {
    await inRpcServerSpan(callWith({}), () => Promise.reject(new Error(status)), statusName).catch(() => undefined);
  }
  const [notFound, unavailable] = exporter.getFinishedSpans();
  assert.equal([notFound!.attributes['rpc.status_code'], notFound!.status.code], ['NOT_FOUND', SpanStatusCode.UNSET]);
  assert.equal([unavailable!.attributes['rpc.status_code'], unavailable!.status.code], ['UNAVAILABLE', SpanStatusCode.ERROR]);
});

on('the HTTP request is a client span under the call, and the traceparent it sends names that span', async ({ exporter }) => {
  let sent: Record<string, string> = {};
  await inRpcServerSpan(
    callWith({}),
    () => inHttpClientSpan({ method: 'GET', url: () => url }, async (headers) => ((sent = headers), { status: 200 })),
    statusName,
  );
  const spans = exporter.getFinishedSpans();
  const [client] = byKind(spans, SpanKind.CLIENT);
  const [server] = byKind(spans, SpanKind.SERVER);
  assert.is(client!.parentSpanContext?.spanId, server!.spanContext().spanId);
  assert.is(sent.traceparent, `00-${client!.spanContext().traceId}-${client!.spanContext().spanId}-01`);
  assert.equal(
    {
      method: client!.attributes['http.request.method'],
      url: client!.attributes['url.full'],
      address: client!.attributes['server.address'],
      port: client!.attributes['server.port'],
      status: client!.attributes['http.response.status_code'],
    },
    { method: 'GET', url: url.href, address: '127.0.0.1', port: 8081, status: 200 },
  );
});

on('a function answering 4xx or 5xx marks the client span as an error', async ({ exporter }) => {
  await inHttpClientSpan({ method: 'GET', url: () => url }, async () => ({ status: 503 }));
  const [client] = exporter.getFinishedSpans();
  assert.equal([client!.attributes['error.type'], client!.status.code], ['503', SpanStatusCode.ERROR]);
});

on.run();

import { SpanKind, SpanStatusCode, type TextMapGetter } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_STATUS_CODE,
  ATTR_RPC_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  RPC_SYSTEM_NAME_VALUE_GRPC,
} from '@opentelemetry/semantic-conventions';
import { extractContext, injectTraceHeaders, recordFailure, spansStarted, tracer } from '../shared/runtime/observability/spans.js';

/**
 * The gRPC sidecar's spans: a SERVER span per call, continuing the caller's trace context from the call
 * metadata, and a CLIENT span per HTTP request to a function, whose `traceparent` header makes the
 * function's request span its child. One gRPC call is then one trace down to the store.
 */
export interface RpcCall {
  /** The full method, e.g. `dbsvc.v1.DocumentService/GetDocument`. */
  readonly method: string;
  /** A metadata value by lower-case key (`traceparent`, `tracestate`), if the caller sent one. */
  metadata(key: string): string | undefined;
}

const METADATA: TextMapGetter<RpcCall> = { get: (call, key) => call.metadata(key), keys: () => [] };

/** Statuses that are the service's failure rather than the caller's (OpenTelemetry's gRPC conventions). */
const SERVER_FAULTS = new Set(['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS']);

/**
 * Runs one call's `work` as its SERVER span; `statusOf` names the gRPC status a failure is answered with.
 * With tracing off no span is started: the no-op tracer's context switch showed in the sidecar's profile.
 */
export function inRpcServerSpan<T>(call: RpcCall, work: () => Promise<T>, statusOf: (error: unknown) => string): Promise<T> {
  if (!spansStarted()) return work();
  const attributes = { [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_NAME_VALUE_GRPC, [ATTR_RPC_METHOD]: call.method };
  return tracer().startActiveSpan(call.method, { kind: SpanKind.SERVER, attributes }, extractContext(call, METADATA), async (span) => {
    try {
      const result = await work();
      span.setAttribute(ATTR_RPC_STATUS_CODE, 'OK');
      return result;
    } catch (error) {
      const status = statusOf(error);
      span.setAttributes({ [ATTR_RPC_STATUS_CODE]: status, [ATTR_ERROR_TYPE]: status });
      if (SERVER_FAULTS.has(status)) span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs one HTTP request as a CLIENT span `<METHOD>`: `send` gets the headers to add, carrying this span's
 * W3C trace context (none when tracing is off: no span, and the URL is never built), and answers the status.
 */
export function inHttpClientSpan<T extends { status: number }>(
  request: { method: string; url: () => URL },
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!spansStarted()) return send({});
  const url = request.url();
  const attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: request.method,
    [ATTR_URL_FULL]: url.href,
    [ATTR_SERVER_ADDRESS]: url.hostname,
    [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
  return tracer().startActiveSpan(request.method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const reply = await send(injectTraceHeaders({}));
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.status);
      if (reply.status >= 400) {
        span.setAttribute(ATTR_ERROR_TYPE, String(reply.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return reply;
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

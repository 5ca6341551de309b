import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { ATTR_CODE_FUNCTION_NAME, ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { DomainError } from '../../domain/errors.js';

/**
 * Span helpers on the OpenTelemetry API only. Until `startTracing` registers the SDK, the API's no-op tracer
 * answers: no context is kept, nothing is recorded or exported.
 */

let spansOn = false;

/**
 * Called by `startTracing` once the SDK is registered. Until then the request and use-case spans are not even
 * started: the no-op tracer still costs a context switch and a span object each, about 5% of a get's CPU.
 */
export function startSpans(): void {
  spansOn = true;
}

/** Called once tracing has shut down: nothing is exported any more, so no span is started either. */
export function stopSpans(): void {
  spansOn = false;
}

/** Whether this process records spans (`OTEL_EXPORTER_OTLP_ENDPOINT` is set). */
export function spansStarted(): boolean {
  return spansOn;
}

/**
 * The tracer, looked up per span rather than kept: the SDK lives in its own bundle with its own copy of the
 * API, and a tracer taken before it registered would stay a no-op. The lookup is a map hit once registered.
 */
export function tracer(): Tracer {
  return trace.getTracer('dbsvc');
}

export { SpanKind };

/**
 * Runs `work` as the active span `name` (under `parent`, default the active context) and ends it. A failure is
 * named in `error.type` (the domain error code, or the error's class); only failures that are the service's
 * fault (unexpected errors, a dependency down) mark the span as an error, since a 404 or 412 is a right answer.
 */
export function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function recordFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  if (error instanceof DomainError) {
    span.setAttribute(ATTR_ERROR_TYPE, error.code);
    if (error.code === 'unavailable') span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    return;
  }
  span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'error');
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A use case as a span of its own (`getDocument`, …), between the request span and the store spans. */
export function tracedUseCase<D, I, O>(name: string, useCase: (deps: D, input: I) => Promise<O>): (deps: D, input: I) => Promise<O> {
  const attributes = { [ATTR_CODE_FUNCTION_NAME]: name };
  return (deps, input) => (spansOn ? inSpan(name, { kind: SpanKind.INTERNAL, attributes }, () => useCase(deps, input)) : useCase(deps, input));
}

/** The caller's span from the W3C trace context (`traceparent`, `tracestate`) of `carrier`: a server span's parent. */
export function extractContext<C>(carrier: C, getter: TextMapGetter<C>): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

/** Writes the active span's W3C trace context into outgoing headers; writes nothing when tracing is off. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

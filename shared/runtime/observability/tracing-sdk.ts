import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Log } from './logger.js';

/**
 * The OpenTelemetry SDK, loaded only when tracing is configured (see tracing.ts). Spans are batched and sent
 * as OTLP/HTTP JSON; the exporter reads its endpoint, headers and timeout from the standard
 * `OTEL_EXPORTER_OTLP_*` variables. Registering installs the AsyncLocalStorage context manager and the W3C
 * trace-context propagator, so `traceparent` is read from and written to requests.
 */
export function registerTracerProvider(options: { serviceName: string; scheduledDelayMillis: number; log: Log }): NodeTracerProvider {
  // Export failures (collector down, rejected batch) reach the process's own log instead of vanishing.
  diag.setLogger(
    {
      error: (message) => options.log.warn('tracing: export problem', { detail: message }),
      warn: (message) => options.log.warn('tracing: export problem', { detail: message }),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: options.scheduledDelayMillis })],
  });
  provider.register();
  return provider;
}

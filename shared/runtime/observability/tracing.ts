import type { Config } from '../config/function-config.js';
import type { Log } from './logger.js';
import { startSpans, stopSpans } from './spans.js';

/** The process's tracing: spans exported over OTLP/HTTP when configured, none otherwise. */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops; the last step of a graceful shutdown. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => undefined };

/**
 * Registers the OpenTelemetry SDK when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Unset, the SDK is never even
 * imported (cold start), and no request or use-case span is started.
 */
export async function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_BSP_SCHEDULE_DELAY'>,
  serviceName: string,
  log: Log,
): Promise<Tracing> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return OFF;
  const { registerTracerProvider } = await import('./tracing-sdk.js');
  const provider = registerTracerProvider({ serviceName, scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY, log });
  startSpans();
  return {
    enabled: true,
    shutdown: () => {
      stopSpans();
      return provider.shutdown();
    },
  };
}

import type { Config } from '../config/function-config.js';
import type { Log } from './logger.js';
import { startSpans, stopSpans } from './spans.js';

/** The process's tracing: spans exported over OTLP/HTTP when configured, none otherwise. */
export interface Tracing {
  readonly enabled: boolean;
  /**
   * Exports the spans still buffered and stops; the last step of a graceful shutdown. Spans that cannot be
   * exported within `timeoutMs` (a collector down or hanging) are given up with a warning: losing them must not
   * fail the shutdown, nor hold it past its timeout.
   */
  shutdown(timeoutMs: number): Promise<void>;
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
    shutdown: async (timeoutMs) => {
      stopSpans();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`not done within ${timeoutMs} ms`), timeoutMs)));
      const failure = await Promise.race([provider.shutdown().then(() => undefined, (error: unknown) => String(error)), late]);
      clearTimeout(timer);
      if (failure !== undefined) log.warn('spans still buffered were not exported at shutdown', { detail: failure });
    },
  };
}

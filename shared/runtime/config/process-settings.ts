import { httpUrl, int, oneOf, text } from './environment.js';

/** Settings every long-running program of the service reads: its log level, tracing, graceful drain and address. */
export const PROCESS_SETTINGS = {
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], 'info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  /** Milliseconds between span exports (the OTel SDK's standard variable). */
  OTEL_BSP_SCHEDULE_DELAY: int(0, 3_600_000, 5000),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600, 15),
  /** The address every server of the process listens on; unset, all interfaces (a container's default). */
  HOST: text,
};

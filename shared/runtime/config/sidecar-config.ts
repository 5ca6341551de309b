import * as z from 'zod/mini';
import { int, oneOf, parseEnvironment, text } from './environment.js';
import { FUNCTION_URL_SETTINGS, functionUrlsOf, type FunctionUrls } from './function-urls.js';
import { PROCESS_SETTINGS } from './process-settings.js';

/** The gRPC sidecar's configuration: the variables it reads and no function's, validated once at start. */
export const sidecarSchema = z.object({
  // Its port, how long a call may take without a deadline, and for how long idempotent calls are retried
  // while a function is unavailable (0 = never).
  GRPC_PORT: int(0, 65535, 50051),
  GRPC_DEFAULT_TIMEOUT_SECONDS: int(1, 3600, 30),
  GRPC_RETRY_SECONDS: int(0, 3600, 10),
  // 0 turns the functions' readiness polling off: on Knative it would keep scaled-to-zero functions awake.
  GRPC_READINESS_POLL_SECONDS: int(0, 3600, 2),
  // The sidecar's Prometheus /metrics over plain HTTP (9464: the port OpenTelemetry's Prometheus exporter uses).
  GRPC_METRICS_PORT: int(0, 65535, 9464),
  GRPC_TLS_CERT_FILE: text,
  GRPC_TLS_KEY_FILE: text,
  GRPC_TLS_CA_FILE: text,
  GRPC_TLS_CLIENT_AUTH: oneOf(['none', 'require'], 'none'),
  ...FUNCTION_URL_SETTINGS,
  ...PROCESS_SETTINGS,
});

type SidecarSettings = z.infer<typeof sidecarSchema>;

/** Rules that tie the sidecar's variables together; each message names the variables to set. */
export function sidecarChecks(config: SidecarSettings): string[] {
  const problems: string[] = [];
  if (Boolean(config.GRPC_TLS_CERT_FILE) !== Boolean(config.GRPC_TLS_KEY_FILE)) {
    problems.push('GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together');
  }
  if (config.GRPC_TLS_CLIENT_AUTH === 'require' && !(config.GRPC_TLS_CA_FILE && config.GRPC_TLS_CERT_FILE)) {
    problems.push('GRPC_TLS_CLIENT_AUTH=require needs GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE');
  }
  return problems;
}

export interface SidecarConfig extends SidecarSettings {
  readonly functionUrls: FunctionUrls;
}

/** The sidecar's configuration, every function URL included: it cannot run without them. */
export function loadSidecarConfig(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const config = parseEnvironment(sidecarSchema, env, sidecarChecks);
  return { ...config, functionUrls: functionUrlsOf(config) };
}

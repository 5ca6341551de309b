import * as z from 'zod/mini';
import { int, parseEnvironment } from './environment.js';
import { PROCESS_SETTINGS } from './process-settings.js';
import { FUNCTION_URL_SETTINGS, functionUrlsOf, type FunctionUrls } from './function-urls.js';
import { configSchema } from './function-config.js';
import { FRONT_DOOR_SETTINGS } from './front-door-settings.js';

/**
 * The gateway alone's configuration (gateway/proxy-main.ts, in front of functions that run elsewhere): its
 * port and where each function answers, validated once at start. AUTH_MODE and QUERY_MAX_TIME_MS are the
 * functions' (they apply them); the gateway only states them in the OpenAPI document.
 */
export const gatewaySchema = z.object({
  PORT: int(0, 65535, 8080),
  ...FUNCTION_URL_SETTINGS,
  ...FRONT_DOOR_SETTINGS,
  AUTH_MODE: configSchema.shape.AUTH_MODE,
  QUERY_MAX_TIME_MS: configSchema.shape.QUERY_MAX_TIME_MS,
  ...PROCESS_SETTINGS,
});

export interface GatewayConfig extends z.infer<typeof gatewaySchema> {
  readonly functionUrls: FunctionUrls;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = parseEnvironment(gatewaySchema, env, () => []);
  return { ...config, functionUrls: functionUrlsOf(config) };
}

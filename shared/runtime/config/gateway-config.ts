import * as z from 'zod/mini';
import { int, parseEnvironment } from './environment.js';
import { PROCESS_SETTINGS } from './process-settings.js';
import { FUNCTION_URL_SETTINGS, functionUrlsOf, type FunctionUrls } from './function-urls.js';

/**
 * The gateway alone's configuration (gateway/proxy-main.ts, in front of functions that run elsewhere): its
 * port and where each function answers, validated once at start.
 */
export const gatewaySchema = z.object({
  PORT: int(0, 65535, 8080),
  ...FUNCTION_URL_SETTINGS,
  ...PROCESS_SETTINGS,
});

export interface GatewayConfig extends z.infer<typeof gatewaySchema> {
  readonly functionUrls: FunctionUrls;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = parseEnvironment(gatewaySchema, env, () => []);
  return { ...config, functionUrls: functionUrlsOf(config) };
}

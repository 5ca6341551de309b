import * as z from 'zod/mini';
import { int, parseEnvironment } from './environment.js';
import { configChecks, configSchema } from './function-config.js';
import { sidecarChecks, sidecarSchema } from './sidecar-config.js';
import { FRONT_DOOR_SETTINGS } from './front-door-settings.js';

/** The variables only the local stack (`npm start`, gateway/) reads. */
export const localStackSchema = z.object({
  /** Start each function on its first request and stop it when idle, as Knative does. */
  SCALE_TO_ZERO: z._default(z.stringbool({ error: 'must be 1 or 0 (or true/false, yes/no, on/off)' }), false),
  SCALE_TO_ZERO_IDLE_SECONDS: int(1, 86_400, 60),
  ...FRONT_DOOR_SETTINGS,
});

/**
 * The local stack runs every function and the sidecar with its own environment, so it checks their variables
 * too: a bad one stops `npm start` at once with one message, instead of a child process failing later. The
 * function URLs are not required: the stack sets them for the sidecar it starts.
 */
const stackSchema = z.object({ ...configSchema.shape, ...sidecarSchema.shape, ...localStackSchema.shape });

export type LocalStackConfig = z.infer<typeof stackSchema>;

export function loadLocalStackConfig(env: NodeJS.ProcessEnv = process.env): LocalStackConfig {
  return parseEnvironment(stackSchema, env, (config) => [...configChecks(config), ...sidecarChecks(config)]);
}

import * as assert from 'uvu/assert';
import { ConfigError } from '../../shared/runtime/config/environment.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';

/** The message `load` (a function's configuration by default) refuses `env` with; a test fails when it is accepted. */
export function configError(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => unknown = loadConfig): string {
  try {
    load(env);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

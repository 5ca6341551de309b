import { ForbiddenError } from '../../domain/errors.js';
import type { Config } from '../config/function-config.js';
import type { FunctionName } from '../http/routes.js';
import { createAuthenticator } from './authenticator.js';
import { FUNCTION_OPERATION, isAllowed } from './policy.js';
import type { Principal } from './principal.js';
import { RateLimiter } from './rate-limit.js';

/**
 * The two checks in front of every `/v1` route of a function: who is calling (401, then 429 past their rate)
 * and whether the policy lets them do this function's operation on this collection (403).
 */
export interface AccessControl {
  authenticate(authorization: string | undefined): Promise<Principal>;
  authorize(principal: Principal, collection: string): void;
}

export function createAccessControl(config: Config, name: FunctionName): AccessControl {
  const authenticator = createAuthenticator(config);
  const limiter = config.RATE_LIMIT_PER_SECOND > 0
    ? new RateLimiter({ perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST ?? config.RATE_LIMIT_PER_SECOND })
    : undefined;
  const operation = FUNCTION_OPERATION[name];
  const policy = config.AUTH_POLICY;
  return {
    async authenticate(authorization) {
      const principal = await authenticator(authorization);
      limiter?.take(principal.id);
      return principal;
    },
    authorize(principal, collection) {
      if (config.AUTH_MODE === 'none') return;
      if (!policy || !isAllowed(policy, principal.roles, collection, operation)) {
        throw new ForbiddenError(`${principal.id} may not ${operation} in collection '${collection}'`);
      }
    },
  };
}

import type { Config } from '../config/function-config.js';
import { apiKeyMatcher } from './api-keys.js';
import { jwtVerifier } from './jwt.js';
import { ANONYMOUS, bearerToken, invalidToken, type Principal } from './principal.js';

/** Resolves the `Authorization` header to a principal, or throws UnauthenticatedError (401). */
export type Authenticator = (authorization: string | undefined) => Promise<Principal>;

/** The authenticator AUTH_MODE selects; `none` lets everyone in as the anonymous principal. */
export function createAuthenticator(config: Config): Authenticator {
  switch (config.AUTH_MODE) {
    case 'none':
      return async () => ANONYMOUS;
    case 'apikey': {
      const match = apiKeyMatcher(config.API_KEYS ?? []);
      return async (authorization) => {
        const name = match(bearerToken(authorization));
        if (name === undefined) throw invalidToken('unknown API key');
        return { id: `key:${name}`, roles: [name] };
      };
    }
    case 'jwt': {
      const verify = jwtVerifier(config);
      return async (authorization) => verify(bearerToken(authorization));
    }
  }
}

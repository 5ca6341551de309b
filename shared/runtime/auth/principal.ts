import { UnauthenticatedError } from '../../domain/errors.js';

/** Who is calling: `id` keys the rate limit and is safe to log; `roles` are what the policy grants to. */
export interface Principal {
  readonly id: string;
  readonly roles: readonly string[];
}

export const ANONYMOUS: Principal = { id: 'anonymous', roles: [] };

const REALM = 'Bearer realm="dbsvc"';

/** The token of `Authorization: Bearer <token>`; 401 with the bare challenge when there is none. */
export function bearerToken(authorization: string | undefined): string {
  const match = authorization === undefined ? null : /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization);
  if (!match) {
    throw new UnauthenticatedError(
      authorization === undefined ? 'credentials are required: send Authorization: Bearer <token>' : 'Authorization must be "Bearer <token>"',
      REALM,
    );
  }
  return match[1]!;
}

/** A 401 for a token that was sent but is not acceptable, with the RFC 6750 `invalid_token` challenge. */
export function invalidToken(description: string): UnauthenticatedError {
  const quoted = description.replace(/["\\\r\n]/g, "'");
  return new UnauthenticatedError(`invalid credentials: ${description}`, `${REALM}, error="invalid_token", error_description="${quoted}"`);
}

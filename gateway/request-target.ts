/** `scheme://authority` in front of a request target in absolute form. */
const ABSOLUTE_PREFIX = /^https?:\/\/[^/?#]*/i;

/**
 * The origin form (`/path?query`) of a request target. A server must accept the absolute form too
 * (`GET http://host/path`, RFC 9112 §3.2.2), and a function alone does; the gateway routes by the path and
 * forwards the origin form, so such a request reaches the same route as its origin form would. The rest of
 * the target is kept byte for byte, as an origin-form target is forwarded.
 */
export function originForm(target: string): string {
  const prefix = ABSOLUTE_PREFIX.exec(target);
  if (!prefix) return target;
  const rest = target.slice(prefix[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

import type { FunctionName } from '../http/routes.js';

/**
 * Who may do what (AUTH_POLICY): each role — an API key's name, or a role named in a JWT — maps collection
 * names or glob patterns (`*` matches any run of characters) to the operations allowed there:
 * `{"billing": {"orders": ["read", "write"], "audit_*": ["read", "query"]}, "admin": {"*": ["*"]}}`.
 * Anything not granted is denied.
 */
export const OPERATIONS = ['read', 'write', 'delete', 'query', 'admin'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The operation each function performs; create and update both write. */
export const FUNCTION_OPERATION: Record<FunctionName, Operation> = {
  create: 'write',
  update: 'write',
  delete: 'delete',
  get: 'read',
  query: 'query',
  indexes: 'admin',
};

interface Grant {
  readonly collections: string;
  readonly operations: ReadonlySet<Operation>;
}

export interface Policy {
  readonly grants: ReadonlyMap<string, readonly Grant[]>;
}

/** Collection names use `[A-Za-z0-9_-]`; a pattern may add `*`. */
const COLLECTION_GLOB = /^[A-Za-z0-9_*-]{1,64}$/;

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** Parses AUTH_POLICY; throws PolicyError saying which role, pattern or operation is wrong. */
export function parsePolicy(text: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`must be JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(raw)) throw new PolicyError('must be a JSON object of role → {collection pattern → [operations]}');
  const grants = new Map<string, Grant[]>();
  for (const [role, byCollection] of Object.entries(raw)) {
    if (role === '') throw new PolicyError('role names must not be empty');
    if (!isPlainObject(byCollection)) throw new PolicyError(`role '${role}' must map collection patterns to operation lists`);
    const list: Grant[] = [];
    for (const [pattern, operations] of Object.entries(byCollection)) {
      if (!COLLECTION_GLOB.test(pattern)) {
        throw new PolicyError(`role '${role}': collection pattern '${pattern}' may use only letters, digits, _, - and *`);
      }
      list.push({ collections: pattern, operations: parseOperations(role, pattern, operations) });
    }
    grants.set(role, list);
  }
  return { grants };
}

function parseOperations(role: string, pattern: string, raw: unknown): ReadonlySet<Operation> {
  const allowed = `${OPERATIONS.join(', ')} or *`;
  if (!Array.isArray(raw) || raw.length === 0) throw new PolicyError(`role '${role}', '${pattern}': operations must be a non-empty list of ${allowed}`);
  const operations = new Set<Operation>();
  for (const operation of raw) {
    if (operation === '*') OPERATIONS.forEach((op) => operations.add(op));
    else if ((OPERATIONS as readonly unknown[]).includes(operation)) operations.add(operation as Operation);
    else throw new PolicyError(`role '${role}', '${pattern}': unknown operation ${JSON.stringify(operation)} (use ${allowed})`);
  }
  return operations;
}

/**
 * Whether a collection name matches a glob where `*` is any run of characters. The one-star backtracking walk
 * is O(pattern × name), unlike a translated RegExp, which could backtrack polynomially on `a*a*a*…`.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether any of the roles is granted the operation on the collection. */
export function isAllowed(policy: Policy, roles: readonly string[], collection: string, operation: Operation): boolean {
  for (const role of roles) {
    const grants = policy.grants.get(role);
    if (!grants) continue;
    for (const grant of grants) {
      if (grant.operations.has(operation) && globMatches(grant.collections, collection)) return true;
    }
  }
  return false;
}

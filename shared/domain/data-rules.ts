import type { JsonObject } from './document.js';
import { InvalidInputError, type Violation } from './errors.js';

/** docs/api.md "Document": nesting depth of `data` at most 32 (the top-level object is depth 1). */
export const MAX_DEPTH = 32;

/** Keys that would reach Object.prototype when copied naively; rejected anywhere in data. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON may escape half of a UTF-16 surrogate pair on its own (`"\ud800"`), but UTF-8 cannot hold it: MongoDB
 * would store U+FFFD in its place and gRPC cannot send the text, so data holding one is refused everywhere, and
 * so is a filter, sort or projection holding one (MongoDB would match U+FFFD where SQLite matches nothing).
 */
export const UNPAIRED_SURROGATE = 'text must be well-formed Unicode (has an unpaired surrogate)';

/** Why `key` cannot name a member of data, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key.startsWith('$')) return 'keys must not start with $';
  if (key.includes('.')) return 'keys must not contain "."';
  if (key.includes('\0')) return 'keys must not contain NUL';
  if (FORBIDDEN_KEYS.has(key)) return `key '${key}' is not allowed`;
  if (!key.isWellFormed()) return UNPAIRED_SURROGATE;
  return undefined;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `data` against the contract's rules and returns it typed, or throws one InvalidInputError that names
 * the first offending path. `allowNull` permits null members (a merge patch uses null to delete).
 */
export function validateData(value: unknown, path = 'data'): JsonObject {
  if (!isPlainObject(value)) {
    throw new InvalidInputError(`${path} must be a JSON object`, [{ path, message: 'must be a JSON object' }]);
  }
  const found = findViolation(value, 1);
  if (found) {
    const violation: Violation = { path: pathOf(path, found.at), message: found.message };
    throw new InvalidInputError(`${violation.path}: ${violation.message}`, [violation]);
  }
  return value;
}

/**
 * The first place in `value` that breaks a rule. The path is written only for that place: building a path for
 * every member would cost more than checking it.
 */
function findViolation(value: unknown, depth: number): { readonly at: ReadonlyArray<string | number>; readonly message: string } | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { at: [], message: 'numbers must be finite' };
  }
  if (typeof value === 'string') return value.isWellFormed() ? undefined : { at: [], message: UNPAIRED_SURROGATE };
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return { at: [], message: `nesting depth exceeds ${MAX_DEPTH}` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findViolation(value[i], depth + 1);
      if (found) return { at: [i, ...found.at], message: found.message };
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const problem = keyProblem(key);
    if (problem) return { at: [key], message: problem };
    const found = findViolation((value as JsonObject)[key], depth + 1);
    if (found) return { at: [key, ...found.at], message: found.message };
  }
  return undefined;
}

function pathOf(root: string, at: ReadonlyArray<string | number>): string {
  return at.reduce<string>((path, step) => (typeof step === 'number' ? `${path}[${step}]` : `${path}.${step}`), root);
}

import { InvalidInputError } from '../errors.js';

/** Throws the InvalidInputError for one violation at `path` (`update.$inc.a`), its message prefixed by the path. */
export function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

/** A short rendering of a value for an error message. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

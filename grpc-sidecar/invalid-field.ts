import { InvalidInputError } from '../shared/domain/errors.js';

/** A request field that breaks a rule: INVALID_ARGUMENT naming the field. */
export function invalidField(path: string, message: string): InvalidInputError {
  return new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

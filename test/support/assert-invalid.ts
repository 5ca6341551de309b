import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../shared/domain/errors.js';

/** The InvalidInputError a call throws; fails the test when it does not throw one. */
export function invalid(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  assert.unreachable('expected an InvalidInputError');
  throw new Error('unreachable');
}

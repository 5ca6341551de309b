import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import { applyUpdate } from '../../shared/domain/update/apply-update.js';
import { validateUpdate } from '../../shared/domain/update/update-spec.js';
import { invalid } from './assert-invalid.js';

/** The clock of every update the operator tests apply ($currentDate writes it). */
export const NOW = new Date('2024-05-06T07:08:09.010Z');

/** `data` after the update `raw`, validated first as a request's would be. */
export function update(data: JsonObject, raw: unknown): JsonObject {
  return applyUpdate(data, validateUpdate(raw), NOW);
}

/** The one violation applying `raw` to `data` reports. */
export function failure(data: JsonObject, raw: unknown): { path: string; message: string } {
  const spec = validateUpdate(raw);
  const error = invalid(() => applyUpdate(data, spec, NOW));
  assert.is(error.violations.length, 1);
  return error.violations[0]!;
}

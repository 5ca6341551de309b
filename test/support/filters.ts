import type { JsonObject } from '../../shared/domain/document.js';
import { matchesFilter, validateFilter } from '../../shared/domain/query/index.js';
import './pattern-engine.js';

/** Whether `data` matches the raw filter (validated first, as the application does). */
export function matches(filter: unknown, data: JsonObject): boolean {
  return matchesFilter(validateFilter(filter), data);
}

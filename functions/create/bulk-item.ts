import { isDocumentId } from '../../shared/domain/values.js';
import { createBody, parseInput } from '../../shared/runtime/http/schemas.js';

export interface CreateItem {
  readonly id?: string | undefined;
  readonly data: unknown;
}

/**
 * One item of a bulk create, as `createBody` parses it: `{ data: {…} }` or `{ id, data }`. An item plainly of
 * that shape (as JSON.parse builds it) is its own parse: zod would only copy it, at about a twentieth of a bulk
 * create's CPU per document. Any other item goes through `createBody`, which accepts or names what is wrong.
 */
export function bulkItem(item: unknown, index: number): CreateItem {
  return isPlainCreateItem(item) ? item : parseInput(createBody, item, `documents[${index}]`);
}

/**
 * Exactly the items whose parse by `createBody` equals the item: a plain object with `data`, a plain object, and
 * perhaps `id`, a valid id, and nothing else. Not when data has an own `__proto__` key, which the parse drops.
 */
function isPlainCreateItem(item: unknown): item is CreateItem {
  if (!isPlainObject(item)) return false;
  for (const key in item) if (key !== 'data' && key !== 'id') return false;
  const { id, data } = item as { id?: unknown; data?: unknown };
  return (id === undefined ? !('id' in item) : isDocumentId(id)) && isPlainObject(data) && !Object.hasOwn(data, '__proto__');
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

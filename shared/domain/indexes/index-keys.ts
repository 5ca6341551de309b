import type { JsonObject, JsonValue } from '../document.js';
import { InvalidInputError } from '../errors.js';
import { valuesAtPath } from '../query/index.js';
import type { IndexDefinition } from './index-definition.js';
import { compareBytes, concat, encodePart } from './key-encoding.js';

/** The keys one document has in one index. */
export interface DocumentKeys {
  /** Distinct encoded compound keys, in byte order. */
  readonly keys: Uint8Array[];
  /** Whether an array lies on one of the index's paths in this document (it then has a key per element). */
  readonly multikey: boolean;
}

/** Most keys one document may have in one index (one per array element, across the index's paths). */
export const MAX_KEYS_PER_DOCUMENT = 10_000;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether walking `path` through objects meets an array (the document is then multikey for it). */
function arrayOnPath(data: JsonObject, path: string): boolean {
  let current: JsonValue | undefined = data;
  for (const segment of path.split('.')) {
    if (!isObject(current)) return false;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (Array.isArray(current)) return true;
  }
  return false;
}

/**
 * The index keys of `data`: for each path, every value a filter on that path is tested against (array
 * elements, the array itself, "missing" as null), encoded in the path's direction; the compound keys are their
 * combinations. So every document a filter on the index's paths can match has a key inside that filter's
 * bounds, and an index scan never misses a match (the query still tests each document it reads). Like
 * MongoDB, a document with arrays on two paths of one index is refused: the combinations would multiply.
 */
export function indexKeysOf(data: JsonObject, index: IndexDefinition): DocumentKeys {
  const arrayPaths = index.keys.filter(([path]) => arrayOnPath(data, path)).map(([path]) => path);
  if (arrayPaths.length > 1) {
    throw new InvalidInputError(`cannot index parallel arrays [${arrayPaths.join('] [')}] in index '${index.name}'`, [
      { path: `data.${arrayPaths[1]}`, message: `an array, as is data.${arrayPaths[0]}; index '${index.name}' cannot hold both` },
    ]);
  }
  let combinations: Uint8Array[][] = [[]];
  for (const [path, direction] of index.keys) {
    const found = valuesAtPath(data, path);
    const parts = found.length === 0 ? [encodePart(null, direction)] : distinct(found.map((value) => encodePart(value, direction)));
    if (combinations.length * parts.length > MAX_KEYS_PER_DOCUMENT) {
      throw new InvalidInputError(`data has more than ${MAX_KEYS_PER_DOCUMENT} keys in index '${index.name}'`, [
        { path: `data.${path}`, message: `too many elements to index in '${index.name}'` },
      ]);
    }
    combinations = combinations.flatMap((prefix) => parts.map((part) => [...prefix, part]));
  }
  return { keys: distinct(combinations.map(concat)), multikey: arrayPaths.length > 0 };
}

function distinct(keys: Uint8Array[]): Uint8Array[] {
  const sorted = [...keys].sort(compareBytes);
  return sorted.filter((key, i) => i === 0 || compareBytes(key, sorted[i - 1]!) !== 0);
}

import { isSortDirection } from '../shared/domain/query/sort.js';
import { invalidField } from './invalid-field.js';

type Keys = ReadonlyArray<{ readonly path: string; readonly direction: number }>;

/**
 * A list of `{path, direction}` (an index's keys, a sort) as the JSON object the REST body takes, in the list's
 * order: the reason these travel as lists, as a Struct is a map whose order many clients do not keep. A path
 * listed twice is refused here, as a JSON object would keep only its last direction and say nothing; so is a
 * direction other than 1 or -1, as the function could only name the object's key for it, not the item's
 * `direction`. The object has no prototype, so a path `__proto__` is a key like any other, sent on for the
 * function to refuse.
 */
export function orderedKeys(keys: Keys, field: string): Record<string, number> {
  const object: Record<string, number> = Object.create(null);
  keys.forEach((key, i) => {
    if (Object.hasOwn(object, key.path)) throw invalidField(`${field}[${i}].path`, `'${key.path}' is listed twice`);
    if (!isSortDirection(key.direction)) throw invalidField(`${field}[${i}].direction`, 'must be 1 or -1');
    object[key.path] = key.direction;
  });
  return object;
}

/** Where the function names a key of that object (`sort.a.b`), the list item's path it came from (`sort_keys[0].path`). */
export function keyFieldNames(keys: Keys, restField: string, field: string): Array<[string, string]> {
  return keys.map((key, i) => [`${restField}.${key.path}`, `${field}[${i}].path`]);
}

import { invalidField } from './invalid-field.js';

/**
 * A list of `{path, direction}` (an index's keys, a sort) as the JSON object the REST body takes, in the list's
 * order: the reason these travel as lists, as a Struct is a map whose order many clients do not keep. A path
 * listed twice is refused here, as a JSON object would keep only its last direction and say nothing. The object
 * has no prototype, so a path `__proto__` is a key like any other, sent on for the function to refuse.
 */
export function orderedKeys(keys: ReadonlyArray<{ readonly path: string; readonly direction: number }>, field: string): Record<string, number> {
  const object: Record<string, number> = Object.create(null);
  keys.forEach((key, i) => {
    if (Object.hasOwn(object, key.path)) throw invalidField(`${field}[${i}].path`, `'${key.path}' is listed twice`);
    object[key.path] = key.direction;
  });
  return object;
}

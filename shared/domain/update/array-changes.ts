import type { JsonValue } from '../document.js';
import type { ElementPredicate } from './pull-condition.js';
import { ValueSet } from './value-set.js';

/**
 * The array operators on an array that exists, as MongoDB computes them. Each returns a new array; the values
 * added are copies, so the result shares nothing with the update.
 */

/**
 * `$push` with `$each`, `$position` and `$slice`: the values are inserted at `position` (default: the end; a
 * negative position counts from the end, -1 inserting before the last element; past either end it is clamped),
 * then `slice` keeps the first n elements (n ≥ 0; 0 empties the array) or the last -n (n < 0).
 */
export function pushed(
  array: readonly JsonValue[],
  each: readonly JsonValue[],
  position: number | undefined,
  slice: number | undefined,
): JsonValue[] {
  const at =
    position === undefined
      ? array.length
      : position < 0
        ? Math.max(0, array.length + position)
        : Math.min(array.length, position);
  const result = [...array.slice(0, at), ...structuredClone(each), ...array.slice(at)];
  if (slice === undefined) return result;
  return slice >= 0 ? result.slice(0, slice) : result.slice(slice);
}

/** `$addToSet`: each value not already in the array (BSON equality) is appended, in order. */
export function addedToSet(array: readonly JsonValue[], each: readonly JsonValue[]): JsonValue[] {
  const present = new ValueSet(array);
  const result = [...array];
  for (const value of each) {
    if (present.has(value)) continue;
    present.add(value);
    result.push(structuredClone(value));
  }
  return result;
}

/** `$pull`: every element the condition matches is removed. */
export function pulled(array: readonly JsonValue[], removes: ElementPredicate): JsonValue[] {
  return array.filter((element) => !removes(element));
}

/** `$pop`: the first or the last element is removed; an empty array stays empty. */
export function popped(array: readonly JsonValue[], end: 'first' | 'last'): JsonValue[] {
  return end === 'first' ? array.slice(1) : array.slice(0, -1);
}

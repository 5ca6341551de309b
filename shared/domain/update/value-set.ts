import type { JsonValue } from '../document.js';

/**
 * A set of JSON values under MongoDB's equality (`compareValues` gives 0), with hash lookups so that
 * `$addToSet` of many values onto a long array is not a scan per value. Scalars are their own keys (a Set
 * tells 1 from "1" and from true, and holds 0 and -0 equal, as BSON does). Arrays and objects key by their
 * JSON text, which is canonical for JSON values: a number prints one way, and fields print in their order,
 * which BSON equality respects (`{a: 1, b: 2}` differs from `{b: 2, a: 1}`).
 */
export class ValueSet {
  private readonly scalars = new Set<string | number | boolean | null>();
  private readonly composites = new Set<string>();

  constructor(values: Iterable<JsonValue> = []) {
    for (const value of values) this.add(value);
  }

  has(value: JsonValue): boolean {
    return typeof value === 'object' && value !== null
      ? this.composites.has(JSON.stringify(value))
      : this.scalars.has(value);
  }

  add(value: JsonValue): void {
    if (typeof value === 'object' && value !== null) this.composites.add(JSON.stringify(value));
    else this.scalars.add(value);
  }
}

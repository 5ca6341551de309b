import type { JsonObject, JsonValue } from '../document.js';

/**
 * BSON order over JSON values: the type ranks, the total order that comparisons and sorts use, and BSON
 * equality.
 */

export const RANK_NULL = 5;
const RANK_NUMBER = 10;
const RANK_STRING = 15;
const RANK_OBJECT = 20;
const RANK_ARRAY = 25;
const RANK_BOOLEAN = 40;

/** BSON canonical type rank: null < numbers < strings < objects < arrays < booleans. Missing ranks 0. */
export function rankOf(value: JsonValue | undefined): number {
  switch (typeof value) {
    case 'number':
      return RANK_NUMBER;
    case 'string':
      return RANK_STRING;
    case 'boolean':
      return RANK_BOOLEAN;
    case 'object':
      if (value === null) return RANK_NULL;
      return Array.isArray(value) ? RANK_ARRAY : RANK_OBJECT;
    default:
      return 0;
  }
}

/** Strings in UTF-8 byte order, which is code point order (not UTF-16 code unit order, not locale order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareSameRank(a: JsonValue, b: JsonValue, rank: number): number {
  switch (rank) {
    case RANK_NUMBER:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case RANK_STRING:
      return compareStrings(a as string, b as string);
    case RANK_BOOLEAN:
      return a === b ? 0 : a ? 1 : -1;
    case RANK_ARRAY: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      const n = x.length < y.length ? x.length : y.length;
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case RANK_OBJECT: {
      // BSONObj::woCompare: field by field, each by canonical type, then field name, then value.
      const x = a as JsonObject;
      const y = b as JsonObject;
      const kx = Object.keys(x);
      const ky = Object.keys(y);
      const n = kx.length < ky.length ? kx.length : ky.length;
      for (let i = 0; i < n; i++) {
        const vx = x[kx[i]!]!;
        const vy = y[ky[i]!]!;
        const rx = rankOf(vx);
        const ry = rankOf(vy);
        if (rx !== ry) return rx < ry ? -1 : 1;
        const names = compareStrings(kx[i]!, ky[i]!);
        if (names !== 0) return names;
        const c = compareSameRank(vx, vy, rx);
        if (c !== 0) return c;
      }
      return kx.length === ky.length ? 0 : kx.length < ky.length ? -1 : 1;
    }
    default:
      return 0; // null == null
  }
}

/** MongoDB's total order over JSON values (null < numbers < strings < objects < arrays < booleans). */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return compareSameRank(a, b, ra);
}

/** BSON equality: same type, same value; objects key by key in order; numbers by value. */
export function equalValues(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i]!;
    if (key !== kb[i]) return false;
    if (!equalValues(a[key]!, b[key]!)) return false;
  }
  return true;
}

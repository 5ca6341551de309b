import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import type { SortDirection, SortSpec } from '../../shared/domain/query/index.js';

/**
 * Seeded generators for the SQLite planner's differential test (test/contract/sqlite-planner-differential.test.ts):
 * documents whose fields mix every type MongoDB orders differently, indexes over those fields, and filters and
 * sorts over them. Everything comes from one seed, so a failure is replayed by its seed alone.
 */

/** mulberry32: small, fast, and the same sequence for a seed on every platform. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Up to `most` distinct items, in a random order. */
  some<T>(items: readonly T[], most: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    const n = this.between(1, Math.min(most, pool.length));
    while (out.length < n) out.push(pool.splice(this.int(pool.length), 1)[0]!);
    return out;
  }
}

/** Numbers MongoDB orders by value across ints, doubles, -0 and magnitudes past 2^53. */
const NUMBERS: readonly number[] = [0, -0, 1, -1, 2, 2.5, -2.5, 3, 10, 100, 0.1, 1e-7, -1e-7, 1e20, -1e20, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 63, 1e300, -1e300, 123456789012];
/** Strings: empty, prefixes of one another, case, code points past the BMP, NUL, digits that are not numbers. */
const STRINGS: readonly string[] = ['', 'a', 'ab', 'abc', 'abd', 'b', 'B', 'é', 'e\u0301', '日本', '😀', '\uffff', '\ufffd', '\ue000', 'a\u0000', 'a\u0000b', 'z', '10', '2', 'true', 'null'];

type Flavor = 'number' | 'string' | 'mixed' | 'array' | 'objects' | 'object' | 'flag' | 'distinct';

/** The documents' top-level fields and what each mostly holds (every one holds other types too). */
const FIELDS: ReadonlyArray<readonly [string, Flavor]> = [
  ['n', 'number'],
  ['s', 'string'],
  ['m', 'mixed'],
  ['arr', 'array'],
  ['objs', 'objects'],
  ['o', 'object'],
  ['b', 'flag'],
  // A name SQL cannot hold in a JSON path as it is (quote, space, non-ASCII): narrowed by text alone.
  ['q "é', 'number'],
  // A value no other document has (of several types), so that unique indexes over it can be built.
  ['u', 'distinct'],
];

/** Paths filters, sorts and indexes name: top-level fields, dotted paths into objects and arrays, and one no document has. */
export const PATHS: readonly string[] = ['u', 'n', 's', 'm', 'arr', 'objs', 'o', 'b', 'q "é', 'o.x', 'o.y', 'o.x.z', 'objs.k', 'objs.v', 'arr.0', 'arr.1', 'objs.0.k', 'nope'];
/** Paths an index may use (those a filter names most, so plans are made). */
const INDEX_PATHS: readonly string[] = ['u', 'n', 's', 'm', 'arr', 'objs', 'o', 'b', 'q "é', 'o.x', 'o.y', 'objs.k', 'objs.v', 'arr.0'];

function scalar(rng: Rng): JsonValue {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(NUMBERS);
    case 2:
    case 3:
      return rng.pick(STRINGS);
    case 4:
      return rng.chance(0.5);
    default:
      return null;
  }
}

/** Whether the value being made may hold arrays (a seed keeps some fields free of them: non-multikey indexes). */
let arraysAllowed = true;

function array(rng: Rng, depth: number): JsonValue {
  if (!arraysAllowed && depth < 2) return rng.chance(0.5) ? scalar(rng) : object(rng, depth + 1);
  const n = rng.pick([0, 1, 1, 2, 2, 3, 4]);
  return Array.from({ length: n }, () => (depth < 2 && rng.chance(0.2) ? anyValue(rng, depth + 1) : scalar(rng)));
}

function object(rng: Rng, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const key of rng.some(['x', 'y', 'k', 'v', 'z'], 3)) out[key] = depth < 2 && rng.chance(0.3) ? anyValue(rng, depth + 1) : scalar(rng);
  if (rng.chance(0.1)) return {};
  return out;
}

function anyValue(rng: Rng, depth: number): JsonValue {
  const r = rng.int(10);
  if (r < 6) return scalar(rng);
  if (r < 8) return array(rng, depth);
  return object(rng, depth);
}

/** A value of the `distinct` field: its number `n` is the document's own, in one of several types. */
function distinctValue(rng: Rng, n: number, arrays: boolean): JsonValue {
  const r = rng.int(arrays ? 5 : 4);
  return r === 0 ? n : r === 1 ? -n - 0.5 : r === 2 ? `u${n}` : r === 3 ? { k: n } : [n, `u${n}`];
}

function valueOf(rng: Rng, flavor: Flavor, arrays: boolean, profile: Profile): JsonValue {
  if (flavor === 'distinct') return distinctValue(rng, profile.distinct.next++, arrays);
  arraysAllowed = arrays;
  try {
    return flavoured(rng, flavor);
  } finally {
    arraysAllowed = true;
  }
}

function flavoured(rng: Rng, flavor: Flavor): JsonValue {
  // One value in five is of any type: every field mixes types.
  if (rng.chance(0.2)) return anyValue(rng, 1);
  switch (flavor) {
    case 'number':
      return rng.pick(NUMBERS);
    case 'string':
      return rng.pick(STRINGS);
    case 'flag':
      return rng.pick([true, false, null]);
    case 'mixed':
      return anyValue(rng, 0);
    case 'array':
      return array(rng, 0);
    case 'objects':
      if (!arraysAllowed) return object(rng, 0);
      return rng.chance(0.2) ? [] : Array.from({ length: rng.between(1, 3) }, () => (rng.chance(0.85) ? object(rng, 1) : scalar(rng)));
    case 'object':
      return object(rng, 0);
    case 'distinct':
      throw new Error('a distinct value is made by distinctValue, with its number');
  }
}

/** What a seed's documents are like: which fields never hold arrays (their indexes are not multikey), how often a field is missing. */
export interface Profile {
  readonly arrayFree: ReadonlySet<string>;
  readonly missing: number;
  /** The next number of the `distinct` field. */
  readonly distinct: { next: number };
}

export function profileOf(rng: Rng): Profile {
  const arrayFree = new Set(FIELDS.filter(([, flavor]) => flavor !== 'array' && rng.chance(0.6)).map(([field]) => field));
  return { arrayFree, missing: rng.pick([0, 0.05, 0.15, 0.4]), distinct: { next: 1 } };
}

/** A document's data: each field present most of the time. */
export function documentData(rng: Rng, profile: Profile): JsonObject {
  const data: JsonObject = {};
  for (const [field, flavor] of FIELDS) {
    // Missing twice would be a duplicate (null) in a unique index.
    if (flavor === 'distinct' || !rng.chance(profile.missing)) data[field] = valueOf(rng, flavor, !profile.arrayFree.has(field), profile);
  }
  return data;
}

/** Two fields of the array of objects: an index on both keys each element's pair (index-keys.ts). */
const ELEMENT_FIELDS: readonly string[] = ['objs.k', 'objs.v'];

/**
 * An index of 1..3 keys over distinct, non-overlapping paths, in mixed directions, sometimes unique; sometimes
 * led by both fields of the array of objects.
 */
export function indexDefinition(rng: Rng, name: string): IndexDefinition {
  const keys: Array<readonly [string, SortDirection]> = [];
  const paths = rng.chance(0.15) ? [...(rng.chance(0.5) ? ELEMENT_FIELDS : [...ELEMENT_FIELDS].reverse()), ...rng.some(INDEX_PATHS, 1)] : rng.some(INDEX_PATHS, rng.pick([1, 1, 2, 2, 3]));
  for (const path of paths) {
    if (keys.some(([other]) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`))) continue;
    keys.push([path, rng.chance(0.5) ? 1 : -1]);
  }
  return { name, keys, unique: rng.chance(keys.some(([path]) => path === 'u') ? 0.6 : 0.1) };
}

/** Values to filter by: mostly values the documents hold at the path (so filters match), else any. */
export class ValueSource {
  constructor(
    private readonly rng: Rng,
    private readonly documents: () => readonly JsonObject[],
    private readonly valuesAt: (data: JsonObject, path: string) => Array<JsonValue | undefined>,
  ) {}

  /** A document to take several paths' values from (`value`), so that a filter on them matches it. */
  document(): JsonObject | undefined {
    const documents = this.documents();
    return documents.length > 0 ? this.rng.pick(documents) : undefined;
  }

  value(path: string, from?: JsonObject): JsonValue {
    const rng = this.rng;
    if (rng.chance(0.7)) {
      const documents = from ? [from] : this.documents();
      for (let tries = 0; tries < 4 && documents.length > 0; tries++) {
        const found = this.valuesAt(rng.pick(documents), path).filter((v): v is JsonValue => v !== undefined);
        if (found.length > 0) return rng.pick(found);
      }
    }
    return rng.chance(0.8) ? scalar(rng) : anyValue(rng, 1);
  }

  /** A number or string bound, as a range condition takes (sometimes another type). */
  bound(path: string): JsonValue {
    const v = this.value(path);
    if (typeof v === 'number' || typeof v === 'string' || this.rng.chance(0.2)) return v;
    const r = this.rng.int(20);
    return r < 10 ? this.rng.pick(NUMBERS) : this.rng.pick(STRINGS);
  }
}

const RANGE = ['$gt', '$gte', '$lt', '$lte'] as const;

/** One field's condition: an implicit equality, or an operator expression of one to three operators. */
function condition(rng: Rng, values: ValueSource, path: string): JsonValue {
  const r = rng.int(20);
  if (r < 4) return values.value(path);
  if (r < 6) return { $eq: values.value(path) };
  if (r < 7) return { $ne: values.value(path) };
  if (r < 11) {
    const out: JsonObject = {};
    for (const op of rng.some(RANGE, 2)) out[op] = values.bound(path);
    if (rng.chance(0.15)) out.$in = Array.from({ length: rng.between(1, 4) }, () => values.value(path));
    if (rng.chance(0.1)) out.$ne = values.value(path);
    return out;
  }
  if (r < 14) {
    const list = Array.from({ length: rng.pick([0, 1, 1, 2, 3, 5, 6]) }, () => values.value(path));
    // Sometimes more distinct values than a plan holds ranges for, or than SQL is given one by one.
    if (rng.chance(0.05)) list.push(...Array.from({ length: rng.pick([40, 300]) }, (_, i) => (i % 2 ? `v${i}` : i + 0.5)));
    if (rng.chance(0.15)) list.push(null);
    const out: JsonObject = { [rng.chance(0.8) ? '$in' : '$nin']: list };
    if (rng.chance(0.15)) out.$eq = values.value(path);
    return out;
  }
  if (r < 16) return { $exists: rng.chance(0.6) };
  if (r < 17) return { $not: { [rng.pick(RANGE)]: values.bound(path) } };
  if (r < 18) return { $regex: rng.pick(['^a', 'b', '^$', '日', '^A']), ...(rng.chance(0.3) && { $options: 'i' }) };
  if (r < 19) return null;
  return { $eq: rng.pick([[], {}, null]) };
}

/** A filter document of 1..3 fields, with $and, $or and $nor sometimes, nested at most `depth` deep. */
export function filterOf(rng: Rng, values: ValueSource, depth = 0, favour?: string): JsonObject {
  const out: JsonObject = {};
  if (rng.chance(0.08) && depth === 0) return out;
  const fields = rng.some(PATHS, rng.chance(0.5) ? 1 : 3);
  if (favour && !fields.includes(favour) && rng.chance(0.6)) fields[0] = favour;
  for (const path of fields) out[path] = condition(rng, values, path);
  if (depth < 2 && rng.chance(0.2)) out.$and = Array.from({ length: rng.between(1, 2) }, () => filterOf(rng, values, depth + 1, favour));
  if (depth < 2 && rng.chance(0.12)) out.$or = Array.from({ length: rng.between(1, 3) }, () => filterOf(rng, values, depth + 1));
  if (depth < 2 && rng.chance(0.05)) out.$nor = [filterOf(rng, values, depth + 1)];
  return out;
}

/**
 * A query an index serves in its order after parts the filter fixes: equality (or a one-value `$in`) on the
 * index's first keys (mostly to values one document holds: with two fields of one array of objects, often
 * in different elements), more conditions sometimes, and a sort on its remaining keys (all reversed, sometimes),
 * sometimes led by the fixed fields. Undefined when no index has a key left to sort by.
 */
export function fixedPrefixQuery(rng: Rng, values: ValueSource, indexes: readonly IndexDefinition[]): { filter: JsonObject; sort: SortSpec } | undefined {
  const compound = indexes.filter((index) => index.keys.length > 1);
  if (compound.length === 0) return undefined;
  const { keys } = rng.pick(compound);
  const fixed = rng.between(1, keys.length - 1);
  const filter: JsonObject = {};
  const from = values.document();
  for (const [path] of keys.slice(0, fixed)) {
    const value = values.value(path, from);
    const r = rng.int(10);
    filter[path] = r < 6 ? value : r < 8 ? { $eq: value } : { $in: [value] };
  }
  if (rng.chance(0.3)) Object.assign(filter, filterOf(rng, values, 1));
  const sign = rng.chance(0.5) ? 1 : -1;
  const lead = rng.chance(0.3) ? keys.slice(0, fixed).map(([path]) => [path, rng.chance(0.5) ? 1 : -1] as const) : [];
  const rest = keys.slice(fixed).map(([path, direction]) => [path, (direction * sign) as SortDirection] as const);
  return { filter, sort: [...lead, ...rest] as SortSpec };
}

/**
 * A sort of 0..2 fields; often an index's own keys (or all reversed), so that ordered index reads are tried,
 * sometimes after a field the filter fixes.
 */
export function sortOf(rng: Rng, indexes: readonly IndexDefinition[]): SortSpec {
  const r = rng.int(10);
  if (r < 3) return [];
  if (r < 7 && indexes.length > 0) {
    const keys = rng.pick(indexes).keys;
    const sign = rng.chance(0.5) ? 1 : -1;
    const from = rng.chance(0.3) ? rng.int(keys.length) : 0;
    return keys.slice(from).map(([path, direction]) => [path, (direction * sign) as SortDirection] as const);
  }
  return rng.some(PATHS, 2).map((path) => [path, rng.chance(0.5) ? 1 : -1] as const);
}

/**
 * Whether `JSON.parse(JSON.stringify(value))` gives back a value deep-equal to `value` (same prototypes, keys
 * in the same order, same primitives): then stored data need not be parsed back to be what a read returns. Not
 * so for -0 (stored as 0), non-finite numbers (null), undefined, functions, sparse arrays and objects that are
 * not plain (a Date is stored as a string, a Map as {}). Walking the value costs a fraction of parsing it, and
 * allocates nothing.
 */
export function readsBackTheSame(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      return value === null || objectReadsBackTheSame(value);
    default:
      return false;
  }
}

function objectReadsBackTheSame(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!(i in array) || !readsBackTheSame(array[i])) return false;
    return true;
  }
  if (prototype !== Object.prototype) return false;
  const object = value as Record<string, unknown>;
  for (const key in object) if (!readsBackTheSame(object[key])) return false;
  return true;
}

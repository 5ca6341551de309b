import type { JsonValue } from '../document.js';
import { isJsonObject, jsonTypeName, validateDataValue } from '../data-value.js';
import { describe, fail } from './invalid-update.js';
import { type ElementPredicate, pullCondition } from './pull-condition.js';
import { parseUpdatePath, type UpdatePath } from './update-path.js';

/** The update operators this service implements, with MongoDB's semantics. */
export const UPDATE_OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pull',
  '$pop',
] as const;

export type UpdateOperator = (typeof UPDATE_OPERATORS)[number];

/** Most values one `$push` or `$addToSet` may add (`$each`). */
export const MAX_EACH_ITEMS = 10_000;

/** What one operator does at one path, its operand checked and prepared. */
export type Operation =
  | { readonly operator: '$set' | '$min' | '$max'; readonly value: JsonValue }
  | { readonly operator: '$unset' }
  | { readonly operator: '$currentDate' }
  | { readonly operator: '$inc' | '$mul'; readonly by: number }
  | {
      readonly operator: '$push';
      readonly each: readonly JsonValue[];
      readonly position: number | undefined;
      readonly slice: number | undefined;
    }
  | { readonly operator: '$addToSet'; readonly each: readonly JsonValue[] }
  | { readonly operator: '$pull'; readonly removes: ElementPredicate }
  | { readonly operator: '$pop'; readonly end: 'first' | 'last' }
  /** Sits at the destination path, as MongoDB's RenameNode does. */
  | { readonly operator: '$rename'; readonly from: UpdatePath };

/** The operand of every operator but `$rename` (whose operand is a path; see parseRenameTarget). */
export function parseOperation(operator: Exclude<UpdateOperator, '$rename'>, operand: unknown, at: string): Operation {
  switch (operator) {
    case '$set':
    case '$min':
    case '$max':
      return { operator, value: validateDataValue(operand, at) };
    case '$unset':
      // MongoDB ignores the operand (`""`, `1` and `true` are all usual).
      return { operator };
    case '$inc':
    case '$mul':
      // A JSON number too large for a double (1e309) arrives as Infinity: say so, not what JSON.stringify makes of it.
      if (typeof operand === 'number' && !Number.isFinite(operand)) fail(at, 'numbers must be finite');
      if (typeof operand !== 'number') {
        const verb = operator === '$inc' ? 'increment' : 'multiply';
        fail(at, `Cannot ${verb} with non-numeric argument: ${describe(operand)}`);
      }
      return { operator, by: operand };
    case '$currentDate':
      checkCurrentDate(operand, at);
      return { operator };
    case '$push':
      return parsePush(operand, at);
    case '$addToSet':
      return parseAddToSet(operand, at);
    case '$pull':
      return { operator, removes: pullCondition(operand, at) };
    case '$pop':
      if (operand !== 1 && operand !== -1) fail(at, `$pop expects 1 or -1, found: ${describe(operand)}`);
      return { operator, end: operand === 1 ? 'last' : 'first' };
  }
}

/**
 * The destination of `$rename: {from: to}`. MongoDB refuses a destination equal to the source or on the same
 * path (one inside the other), with these messages, before looking for conflicts with other operators.
 */
export function parseRenameTarget(from: UpdatePath, operand: unknown, at: string): UpdatePath {
  if (typeof operand !== 'string') fail(at, `The 'to' field for $rename must be a string, not ${describe(operand)}`);
  const to = parseUpdatePath(operand, at);
  if (to.text === from.text) fail(at, `The source and target field for $rename must differ: '${from.text}'`);
  if (to.text.startsWith(`${from.text}.`) || from.text.startsWith(`${to.text}.`)) {
    fail(at, `The source and target field for $rename must not be on the same path: '${from.text}' and '${to.text}'`);
  }
  return to;
}

/**
 * `true` (MongoDB reads any boolean, `false` too, as "a date") or `{"$type": "date"}`. The date is stored as
 * an ISO-8601 string, as `createdAt` is. `{"$type": "timestamp"}` asks for a BSON Timestamp, which JSON data
 * cannot hold, so it is refused rather than silently turned into a date.
 */
function checkCurrentDate(operand: unknown, at: string): void {
  if (typeof operand === 'boolean') return;
  if (!isJsonObject(operand)) {
    fail(at, `${describe(operand)} is not valid for $currentDate: use true or {"$type": "date"}`);
  }
  for (const key of Object.keys(operand)) {
    if (key !== '$type') fail(`${at}.${key}`, `Unrecognized $currentDate option: ${key}`);
  }
  const type = operand['$type'];
  if (type === 'date') return;
  if (type === 'timestamp') {
    const why = 'data holds JSON, which has no BSON timestamp; use {"$type": "date"} (an ISO-8601 string)';
    fail(`${at}.$type`, `{"$type": "timestamp"} is not supported: ${why}`);
  }
  fail(`${at}.$type`, `$currentDate takes {"$type": "date"}, not ${describe(operand)}`);
}

const PUSH_MODIFIERS = new Set(['$each', '$slice', '$position']);

/**
 * `$push: {path: value}` appends one value; `{"$each": [...], "$position": n, "$slice": n}` inserts several at
 * a position and then trims the array. As in MongoDB, an object is read as modifiers only when it has `$each`;
 * `$slice` or `$position` without it is refused here (MongoDB would try to store it as a value and fail on the
 * `$` key). `$sort` is not supported.
 */
function parsePush(operand: unknown, at: string): Operation {
  if (!isJsonObject(operand) || !Object.hasOwn(operand, '$each')) {
    if (isJsonObject(operand)) {
      const modifier = Object.keys(operand).find((key) => PUSH_MODIFIERS.has(key) || key === '$sort');
      if (modifier === '$sort') fail(`${at}.$sort`, '$sort in $push is not supported');
      if (modifier) fail(`${at}.${modifier}`, `${modifier} requires $each: {"$each": [...], "${modifier}": ...}`);
    }
    return { operator: '$push', each: [validateDataValue(operand, at)], position: undefined, slice: undefined };
  }
  for (const key of Object.keys(operand)) {
    if (key === '$sort') fail(`${at}.$sort`, '$sort in $push is not supported');
    if (!PUSH_MODIFIERS.has(key)) fail(`${at}.${key}`, `Unrecognized clause in $push: ${key}`);
  }
  return {
    operator: '$push',
    each: parseEach(operand['$each'], `${at}.$each`, '$push'),
    position: optionalInteger(operand['$position'], `${at}.$position`),
    slice: optionalInteger(operand['$slice'], `${at}.$slice`),
  };
}

/** `$addToSet: {path: value}` or `{"$each": [...]}`; MongoDB takes `$each` only as the only field. */
function parseAddToSet(operand: unknown, at: string): Operation {
  if (!isJsonObject(operand) || !Object.hasOwn(operand, '$each')) {
    return { operator: '$addToSet', each: [validateDataValue(operand, at)] };
  }
  if (Object.keys(operand).length > 1) fail(at, '$each must be the only field of a $addToSet modifier');
  return { operator: '$addToSet', each: parseEach(operand['$each'], `${at}.$each`, '$addToSet') };
}

function parseEach(each: unknown, at: string, operator: string): JsonValue[] {
  if (!Array.isArray(each)) {
    fail(at, `The argument to $each in ${operator} must be an array but it was of type ${typeOf(each)}`);
  }
  if (each.length > MAX_EACH_ITEMS) fail(at, `$each takes at most ${MAX_EACH_ITEMS} values`);
  return each.map((item: unknown, i) => validateDataValue(item, `${at}[${i}]`));
}

function optionalInteger(value: unknown, at: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) {
    const name = at.slice(at.lastIndexOf('.') + 1);
    fail(at, `The value for ${name} must be an integer value, not ${describe(value)}`);
  }
  return value as number;
}

function typeOf(value: unknown): string {
  return value === undefined ? 'missing' : jsonTypeName(value as JsonValue);
}

import type { JsonObject, JsonValue } from '../document.js';
import type { SortDirection } from '../query/index.js';

/**
 * An order-preserving byte encoding of index keys: comparing two encodings byte by byte (as SQLite compares
 * BLOBs, memcmp) orders them exactly as MongoDB orders the values (`compareValues`): null < numbers < strings
 * < objects < arrays < booleans, numbers by value, strings by code point, objects and arrays element by element.
 * Every encoding is prefix-free (no encoding is a prefix of another), so a compound key is the concatenation
 * of its parts, and a descending part is its encoding with every byte inverted.
 */

/** Type tags, in MongoDB's order of canonical types. 0x00 is the terminator of arrays and objects. */
export const TAG = {
  null: 0x10,
  number: 0x20,
  string: 0x30,
  object: 0x40,
  array: 0x50,
  boolean: 0x60,
} as const;

const END = 0x00;

class ByteWriter {
  #bytes = new Uint8Array(64);
  #length = 0;

  push(byte: number): void {
    if (this.#length === this.#bytes.length) this.#grow(1);
    this.#bytes[this.#length++] = byte;
  }

  pushAll(bytes: Uint8Array): void {
    if (this.#length + bytes.length > this.#bytes.length) this.#grow(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  result(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #grow(extra: number): void {
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}

const float = new DataView(new ArrayBuffer(8));

/** IEEE 754 big-endian with the sign bit flipped for positives and every bit flipped for negatives. */
function writeNumber(out: ByteWriter, value: number): void {
  float.setFloat64(0, value === 0 ? 0 : value);
  const negative = (float.getUint8(0) & 0x80) !== 0;
  for (let i = 0; i < 8; i++) {
    const byte = float.getUint8(i);
    out.push(negative ? ~byte & 0xff : i === 0 ? byte | 0x80 : byte);
  }
}

const utf8 = new TextEncoder();

/** UTF-8 (whose byte order is code point order) with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01. */
function writeString(out: ByteWriter, value: string): void {
  for (const byte of utf8.encode(value)) {
    out.push(byte);
    if (byte === 0x00) out.push(0xff);
  }
  out.push(0x00);
  out.push(0x01);
}

function tagOf(value: JsonValue): number {
  switch (typeof value) {
    case 'number':
      return TAG.number;
    case 'string':
      return TAG.string;
    case 'boolean':
      return TAG.boolean;
    default:
      if (value === null) return TAG.null;
      return Array.isArray(value) ? TAG.array : TAG.object;
  }
}

function writeBody(out: ByteWriter, value: JsonValue, tag: number): void {
  switch (tag) {
    case TAG.number:
      writeNumber(out, value as number);
      return;
    case TAG.string:
      writeString(out, value as string);
      return;
    case TAG.boolean:
      out.push(value ? 1 : 0);
      return;
    case TAG.array:
      for (const element of value as JsonValue[]) writeValue(out, element);
      out.push(END);
      return;
    case TAG.object:
      // MongoDB compares objects field by field: the value's type, then the field name, then the value.
      for (const [name, field] of Object.entries(value as JsonObject)) {
        const fieldTag = tagOf(field);
        out.push(fieldTag);
        writeString(out, name);
        writeBody(out, field, fieldTag);
      }
      out.push(END);
      return;
    default:
      return; // null: the tag says it all
  }
}

function writeValue(out: ByteWriter, value: JsonValue): void {
  const tag = tagOf(value);
  out.push(tag);
  writeBody(out, value, tag);
}

/**
 * Whether the encoding orders `value` as the domain does. Not so for a string (or object key) holding an
 * unpaired surrogate, which only a cursor can hold (data and filters must be well-formed Unicode; a cursor is
 * the client's to send back): UTF-8 has no bytes for it, so it is encoded as U+FFFD, while compareStrings tells
 * it from U+FFFD and sorts it among the code points past U+FFFF. A key made of it would be in the wrong place.
 */
export function encodesInOrder(value: JsonValue): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(encodesInOrder);
  return Object.entries(value).every(([key, member]) => key.isWellFormed() && encodesInOrder(member));
}

/** The encoding of one value (missing is encoded as null, as MongoDB indexes it). */
export function encodeValue(value: JsonValue | undefined): Uint8Array {
  const out = new ByteWriter();
  writeValue(out, value === undefined ? null : value);
  return out.result();
}

/**
 * Follows a key that holds an array as a whole (index-keys.ts). The key is then one of its own: it never equals
 * the key of an element (an inner array), yet it sorts right after the same key unmarked, so every key range
 * holding one holds the other (a range's ends are made of whole encoded parts, never a full key and more).
 */
export const WHOLE_ARRAY_MARK = 0x01;

/** Every byte inverted: reverses the order of prefix-free encodings (a descending key part). */
export function invert(bytes: Uint8Array): Uint8Array {
  const inverted = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) inverted[i] = ~bytes[i]! & 0xff;
  return inverted;
}

/** One part of a compound key in its index direction. */
export function encodePart(value: JsonValue | undefined, direction: SortDirection): Uint8Array {
  const encoded = encodeValue(value);
  return direction === 1 ? encoded : invert(encoded);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new ByteWriter();
  for (const part of parts) out.pushAll(part);
  return out.result();
}

/**
 * The least byte string greater than every string that starts with `prefix`: the end (exclusive) of a prefix
 * range. Undefined when there is none (the prefix is all 0xFF), meaning "no upper bound".
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return undefined;
}

/** Byte-wise comparison, as SQLite compares BLOBs. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

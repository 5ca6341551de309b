import { InvalidInputError } from './errors.js';

/**
 * RFC 6901 JSON Pointer: `""` is the whole document; otherwise each `/` starts a reference token, in which
 * `~1` stands for `/` and `~0` for `~` (decoded in that order, so `~01` is the key `~1`). Returns the decoded
 * tokens, or throws InvalidInputError at `at` (`patch[2].path`). A token is not yet known to be a key or an
 * array index: that depends on the value it meets.
 */
export function parseJsonPointer(pointer: string, at: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(at, `'${pointer}' is not a JSON Pointer: it must be empty or start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        const escapes = "'~0' stands for '~', '~1' for '/'";
        fail(at, `'${pointer}' is not a JSON Pointer: '~' must be followed by 0 or 1 (${escapes})`);
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** Whether a token names an array element: `0` or a decimal integer without leading zeros (RFC 6901 §4). */
export function isArrayIndexToken(token: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(token);
}

/** The token RFC 6901 gives to the (nonexistent) element after the last of an array: used to append. */
export const END_OF_ARRAY = '-';

function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

import { type CompiledPattern, patternEngine } from '../pattern-engine.js';
import { fail } from './validation.js';

/** Longest `$regex` pattern accepted. */
export const MAX_REGEX_LENGTH = 512;

/** Characters that `u`-mode JavaScript lets a backslash escape (outside a class; `-` too inside one). */
const SYNTAX_CHARACTERS = '^$\\.*+?()[]{}|/';

/**
 * Translates a MongoDB (PCRE, UTF mode, no UCP) pattern into an equivalent pattern for the linear-time engine
 * (RE2, given JavaScript `u`-mode syntax), or fails on constructs whose meaning differs and cannot be
 * translated exactly:
 * - `.` excludes only `\n` in PCRE (JavaScript also excludes `\r`, U+2028, U+2029) → `[^\n]`, or any code
 *   point where an inline `(?s)` is in force (flags are followed through groups, as both engines scope them);
 * - `$` and `\Z` also match before a final `\n` in PCRE → `(?:\n?$)` (RE2 has no lookahead, so the final
 *   newline is consumed: exact unless more pattern after the anchor must match that newline, as in `a$\n`);
 *   `\A` → `^`; `\z` → `$`; where an inline `(?m)` is in force, these three keep to the ends of the string
 *   by `(?-m:…)`, as PCRE's do;
 * - `\s` is ASCII whitespace in PCRE (JavaScript's includes Unicode spaces) → an explicit class;
 * - an escaped non-alphanumeric is a literal in PCRE (JavaScript `u` mode refuses most) → `\u{...}`;
 * - backreferences and lookarounds (which no linear-time engine has), `\v`, `\h`, `\R`, `\G`, `\Q`, POSIX
 *   classes, `\u` and an empty or `]`-first character class are rejected.
 * What the engine rejects besides (e.g. a repetition count over 1000) is reported as an invalid pattern.
 * (Known residue: with `$options: "i"`, `\w`/`\b` also fold U+017F and U+212A; under `(?m)`, `^` also matches
 * after a newline that ends the string, which PCRE's does not.)
 */
function translatePattern(pattern: string): string {
  const ASCII_SPACE = '\\t\\n\\x0B\\f\\r ';
  let out = '';
  let inClass = false;
  let i = 0;
  // The inline flags in force, and those each open group restores when it closes.
  let flags: Flags = { dotAll: false, multiline: false };
  const outer: Flags[] = [];
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw new Error('pattern ends with a lone backslash');
      i += 2;
      switch (d) {
        case 's':
          out += inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`;
          continue;
        case 'S':
          if (inClass) throw new Error('\\S inside a character class is not supported');
          out += `[^${ASCII_SPACE}]`;
          continue;
        case 'A':
          if (inClass) throw new Error('\\A inside a character class is not supported');
          out += flags.multiline ? '(?-m:^)' : '^';
          continue;
        case 'z':
          if (inClass) throw new Error('\\z inside a character class is not supported');
          out += flags.multiline ? '(?-m:$)' : '$';
          continue;
        case 'Z':
          if (inClass) throw new Error('\\Z inside a character class is not supported');
          out += flags.multiline ? '(?-m:\\n?$)' : '(?:\\n?$)';
          continue;
        case '0':
          if (/[0-9]/.test(pattern[i] ?? '')) throw new Error('octal escapes are not supported');
          out += '\\0';
          continue;
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 'b':
        case 'B':
        case 'n':
        case 'r':
        case 't':
        case 'f':
        case 'x':
        case 'c':
        case 'p':
        case 'P':
          out += `\\${d}`;
          continue;
        default: {
          if (/[0-9]/.test(d) || d === 'k' || d === 'g') throw new Error('backreferences are not supported');
          if (/[A-Za-z]/.test(d)) throw new Error(`the escape \\${d} is not supported`);
          if (SYNTAX_CHARACTERS.includes(d) || (inClass && d === '-')) {
            out += `\\${d}`;
            continue;
          }
          // PCRE reads any other escaped non-alphanumeric as itself; `u`-mode JavaScript only allows that for
          // syntax characters, so spell the character out by code point.
          const codePoint = pattern.codePointAt(i - 1)!;
          if (codePoint > 0xffff) i++;
          out += `\\u{${codePoint.toString(16)}}`;
          continue;
        }
      }
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[' && /[:=.]/.test(pattern[i + 1] ?? '')) {
        throw new Error('POSIX character classes are not supported');
      }
      out += c;
      i++;
      continue;
    }
    i++;
    if (c === '[') {
      inClass = true;
      out += '[';
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') throw new Error("a character class must not be empty or start with ']'");
      continue;
    }
    if (c === '(') {
      if (/^\?<?[=!]/.test(pattern.slice(i, i + 3))) throw new Error('lookarounds are not supported');
      const setting = FLAG_SETTING.exec(pattern.slice(i));
      if (setting?.[3] === ')') {
        // `(?s)`: for the rest of the enclosing group.
        flags = withFlags(flags, setting[1]!, setting[2] ?? '');
      } else {
        outer.push(flags);
        // `(?s:...)`: for this group alone.
        if (setting) flags = withFlags(flags, setting[1]!, setting[2] ?? '');
      }
      out += setting ? `(${setting[0]}` : '(';
      i += setting ? setting[0].length : 0;
      continue;
    }
    if (c === ')') flags = outer.pop() ?? flags;
    if (c === '.') out += flags.dotAll ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]';
    else if (c === '$') out += '(?:\\n?$)';
    else out += c;
  }
  return out;
}

/** The inline flags the translation depends on: `s` (dot matches a newline), `m` (anchors at line ends). */
interface Flags {
  readonly dotAll: boolean;
  readonly multiline: boolean;
}

/** After `(`: an inline flag setting, `?` flags to set, `-` flags to clear, then `)` or `:`. */
const FLAG_SETTING = /^\?([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/;

function withFlags(flags: Flags, set: string, cleared: string): Flags {
  const value = (flag: string, current: boolean): boolean => (cleared.includes(flag) ? false : set.includes(flag) ? true : current);
  return { dotAll: value('s', flags.dotAll), multiline: value('m', flags.multiline) };
}

/** The compiled pattern that matches exactly what MongoDB's `$regex` would, or a reason it cannot. */
export function compileRegex(pattern: string, options: string, at: string): CompiledPattern {
  if (pattern.length > MAX_REGEX_LENGTH) fail(at, `$regex patterns are at most ${MAX_REGEX_LENGTH} characters`);
  if (pattern.includes('\0')) fail(at, '$regex patterns must not contain NUL');
  let source: string;
  try {
    source = translatePattern(pattern);
  } catch (error) {
    return fail(at, `unsupported regular expression: ${(error as Error).message}`);
  }
  const engine = patternEngine();
  try {
    return engine.compile(source, options === 'i');
  } catch (error) {
    return fail(at, `invalid regular expression: ${(error as Error).message}`);
  }
}

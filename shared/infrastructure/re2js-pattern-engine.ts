import { createRequire } from 'node:module';
import type { PatternEngine } from '../domain/pattern-engine.js';

type RE2JSModule = typeof import('re2js');

let re2js: RE2JSModule['RE2JS'] | undefined;

/**
 * RE2 ported to JavaScript (`re2js`): the same linear-time automata as the C++ RE2, with no native addon to
 * build at install (BENCHMARKS.md, "Regex engine"). Lookbehinds stay off (RE2JS.LOOKBEHINDS is not passed),
 * so every pattern runs in time linear in the text. Loaded on the first `$regex`, synchronously (its 260 KB
 * and Unicode tables take about 35 ms), so functions that never see one never load it; esbuild leaves it out
 * of the bundles for that reason.
 *
 * The domain hands over RE2 semantics in JavaScript `u`-mode spelling (shared/domain/query/regex.ts); RE2's own
 * syntax differs in one escape the translation emits: a code point is `\x{...}` there, `\u{...}` in JavaScript.
 */
export const re2jsPatternEngine: PatternEngine = {
  compile(source, ignoreCase) {
    re2js ??= (createRequire(import.meta.url)('re2js') as RE2JSModule).RE2JS;
    return re2js.compile(re2Syntax(source), ignoreCase ? re2js.CASE_INSENSITIVE : 0);
  },
};

/** `\u{hex}` → `\x{hex}`; every other escape is the same in both. A backslash always opens a two-character escape. */
function re2Syntax(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      const escaped = source[i + 1];
      out += escaped === 'u' && source[i + 2] === '{' ? '\\x' : `\\${escaped ?? ''}`;
      i++;
    } else out += source[i];
  }
  return out;
}

import { createRequire } from 'node:module';
import type { CompiledPattern, PatternEngine } from '../domain/pattern-engine.js';

type RE2Constructor = new (source: string, flags: string) => CompiledPattern;

let RE2: RE2Constructor | undefined;

/**
 * RE2 (the `re2` native addon): linear-time matching, no backreferences or lookarounds. Loaded on the first
 * `$regex`, synchronously (about 10 ms), so functions that never see one never load it.
 */
export const re2PatternEngine: PatternEngine = {
  compile(source, ignoreCase) {
    RE2 ??= createRequire(import.meta.url)('re2') as RE2Constructor;
    return new RE2(source, ignoreCase ? 'iu' : 'u');
  },
};

/**
 * The regular-expression engine `$regex` runs on. A pattern comes from the client and is matched against
 * stored strings of up to MAX_BODY_BYTES, so the engine must match in linear time: a backtracking engine
 * (JavaScript's RegExp) is stalled for minutes by patterns such as `(a+)+$` or even `a*a*x`. The runtime
 * installs RE2 (its JavaScript port) at start (shared/infrastructure/re2js-pattern-engine.ts).
 */
export interface CompiledPattern {
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

export interface PatternEngine {
  /** Compiles a pattern in RE2 syntax; throws an Error saying why when the pattern is not valid there. */
  compile(source: string, ignoreCase: boolean): CompiledPattern;
}

let installed: PatternEngine | undefined;

export function usePatternEngine(engine: PatternEngine): void {
  installed = engine;
}

/** The installed engine; a missing one is a wiring bug, never the client's fault. */
export function patternEngine(): PatternEngine {
  if (!installed) throw new Error('no pattern engine installed: call usePatternEngine() at start');
  return installed;
}

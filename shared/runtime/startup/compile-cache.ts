import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Where the build leaves V8's compile cache for the function bundles (dist/compile-cache, filled by
 * dist/warm-compile-cache.mjs), from any bundle under dist/functions.
 */
export function compileCacheDir(bundleUrl: string): string {
  return fileURLToPath(new URL('../compile-cache/', bundleUrl));
}

/**
 * Compiles the rest of the process's code from the build's compile cache when it is there. Call it before
 * importing that code: only modules compiled afterwards use the cache. Portable: entries are keyed relative to
 * the directory, so dist/ may move (the image runs from /app). Never fails a start: a missing directory is
 * left missing (Node would create it, and on a path it cannot create, such as under /proc, it spins); a cache
 * of another Node version is ignored; a read-only one (the image's) is read and never written.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off (Node's own switch; the cold-start bench compares both).
 */
export function useCompileCache(bundleUrl: string): void {
  const directory = compileCacheDir(bundleUrl);
  if (existsSync(directory)) enableCompileCache({ directory, portable: true });
}

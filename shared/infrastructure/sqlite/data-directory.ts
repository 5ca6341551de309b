import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `path` and any missing parents, as `mkdirSync(path, { recursive: true })` would, trying each directory
 * at most twice: Node's recursive mkdir loops for ever where a parent exists and still refuses the child with
 * ENOENT (any path under /proc), which hung the process at its first request. The system error (ENOENT,
 * EACCES, ENOTDIR, …) is thrown instead. Another process making the same directory meanwhile is no error.
 */
export function makeDataDirectory(path: string): void {
  const missingParent = tryToMake(path);
  if (!missingParent) return;
  const parent = dirname(path);
  if (parent === path) throw missingParent;
  makeDataDirectory(parent);
  const stillMissing = tryToMake(path);
  if (stillMissing) throw stillMissing;
}

/** Makes `path` unless it is a directory already; returns the ENOENT error when that is why it cannot. */
function tryToMake(path: string): Error | undefined {
  try {
    mkdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return error as Error;
    if (code !== 'EEXIST' || !statSync(path).isDirectory()) throw error;
  }
  return undefined;
}

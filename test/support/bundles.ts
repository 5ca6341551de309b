import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { DIST } from './processes.js';

/** What `npm run build` wrote: every output file with its size and what it imports (dist/metafile.json). */
export function builtOutputs(): Metafile['outputs'] {
  return (JSON.parse(readFileSync(join(DIST, 'metafile.json'), 'utf8')) as Metafile).outputs;
}

/**
 * A function's entry is a launcher (functions/<op>/main.ts) that turns on the compile cache and then imports
 * its start chunk (functions/<op>/start.ts) at once: that dynamic import is part of the start.
 */
const IMPORTED_AT_ONCE = /\/start-\w+\.mjs$/;

/** Every file a process reads at start from `file`: it and what it imports statically, transitively. */
function readAtStart(outputs: Metafile['outputs'], file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    const output = outputs[path];
    if (seen.has(path) || !output) return;
    seen.add(path);
    for (const imported of output.imports) {
      if (imported.kind === 'import-statement' || (imported.kind === 'dynamic-import' && IMPORTED_AT_ONCE.test(imported.path))) visit(imported.path);
    }
  };
  visit(file);
  return seen;
}

/** Bytes a process reads at start from `file`: it and every file it imports statically, transitively. */
export function startupBytes(outputs: Metafile['outputs'], file: string): number {
  return [...readAtStart(outputs, file)].reduce((sum, path) => sum + outputs[path]!.bytes, 0);
}

/** The chunks a process started from `file` imports only when its code runs `await import(…)`. */
export function lazyChunks(outputs: Metafile['outputs'], file: string): string[] {
  const atStart = readAtStart(outputs, file);
  return [...atStart]
    .flatMap((path) => outputs[path]!.imports)
    .filter((imported) => imported.kind === 'dynamic-import' && !atStart.has(imported.path))
    .map((imported) => imported.path);
}

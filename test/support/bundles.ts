import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { DIST } from './processes.js';

/** What `npm run build` wrote: every output file with its size and what it imports (dist/metafile.json). */
export function builtOutputs(): Metafile['outputs'] {
  return (JSON.parse(readFileSync(join(DIST, 'metafile.json'), 'utf8')) as Metafile).outputs;
}

/** Bytes a process reads at start from `file`: it and every file it imports statically, transitively. */
export function startupBytes(outputs: Metafile['outputs'], file: string): number {
  const seen = new Set<string>();
  const visit = (path: string) => {
    const output = outputs[path];
    if (seen.has(path) || !output) return;
    seen.add(path);
    for (const imported of output.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(file);
  return [...seen].reduce((sum, path) => sum + outputs[path]!.bytes, 0);
}

/** The chunks `file` imports only when its code runs `await import(…)`. */
export function lazyChunks(outputs: Metafile['outputs'], file: string): string[] {
  return (outputs[file]?.imports ?? []).filter((imported) => imported.kind === 'dynamic-import').map((imported) => imported.path);
}

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * How FerretDB runs, for the tests (test/support/mongodb.ts) and for `npm run mongodb` alike: the binary that
 * scripts/ferretdb.sh builds once, its SQLite backend under one directory, listening on loopback only.
 */
export const FERRETDB_SCRIPT = resolve(import.meta.dirname, 'ferretdb.sh');

/** The cached binary's path, built on first use; the script's progress goes to this process's stderr. */
export function ferretDbBinary(): string {
  const stdout = execFileSync(FERRETDB_SCRIPT, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1024 * 1024 });
  const binary = stdout.trim().split('\n').at(-1);
  if (!binary) throw new Error('scripts/ferretdb.sh printed no binary path');
  return binary;
}

/** No telemetry, debug endpoint or state files: a local server that talks to nobody but its clients. */
export function ferretDbFlags(dataDir: string, port: number): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--debug-addr=-',
    '--state-dir=-',
    '--log-level=error',
  ];
}

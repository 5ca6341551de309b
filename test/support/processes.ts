import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../gateway/free-port.js';
import { listeningPorts, type ListeningPorts } from '../../shared/runtime/startup/listening-report.js';

export { freePort };

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');

const started = new Set<ChildProcess>();
// Whatever happens to the test run, no child outlives it.
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** The child leads a process group of its own (a terminal's Ctrl-C signals a whole group). */
  readonly processGroup?: boolean;
  /** An IPC channel to the child, as the local stack gives its children: they report their ports on it. */
  readonly ipc?: boolean;
}

export function spawnNode(script: string, env: NodeJS.ProcessEnv, args: string[] = [], options: SpawnOptions = {}): Spawned {
  return spawnProcess(process.execPath, [...args, script], env, options);
}

/** Any executable as a child of the test run, with the same output capture, stop and cleanup as `spawnNode`. */
export function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])], detached: options.processGroup ?? false });
  started.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then stdout and stderr are drained, so `output()` holds every line.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('close', (code, signal) => {
      started.delete(child);
      resolveExit({ code, signal });
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/** Polls `url` until it answers 200 (readiness, not a sleep), failing fast if the process dies first. */
export async function waitUntilReady(url: string, process: Spawned, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void process.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw notReady(`process exited before ${url} was ready:\n${process.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw notReady(`${url} not ready within ${timeoutMs} ms:\n${process.output()}`);
}

/**
 * The ports a process spawned with `ipc` reports once it listens (a function or the sidecar started on port 0:
 * the kernel picks the port as it binds, so no other process on the machine can take it first).
 */
export async function reportedPorts(process: Spawned, what: string, timeoutMs = 60_000): Promise<ListeningPorts> {
  try {
    return await listeningPorts(process.child, what, timeoutMs);
  } catch (error) {
    throw notReady(`${(error as Error).message}:\n${process.output()}`);
  }
}

/**
 * The error for a process that did not come up, also written to stderr: most processes start in a suite's
 * `before` hook, and uvu reports a hook that throws only as failed tests, without its error.
 */
export function notReady(message: string): Error {
  console.error(message);
  return new Error(message);
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { DEFAULT_FILE_NAME } from '../../shared/infrastructure/sqlite/sqlite-store.js';

const HOLDER = fileURLToPath(new URL('../contract/fixtures/write-lock-holder.mjs', import.meta.url));

/** A child process holding the write lock of the store in `dir`, once it has said so. */
export interface LockHolder {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  readonly lines: Interface;
}

export async function holdWriteLock(dir: string): Promise<LockHolder> {
  const child = spawn(process.execPath, [HOLDER, join(dir, DEFAULT_FILE_NAME)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit')])) as [unknown];
  if (line !== 'locked') throw new Error(`the lock holder did not take the lock (${String(line)})`);
  return { child, lines };
}

export async function release({ child, lines }: LockHolder): Promise<void> {
  const released = once(lines, 'line');
  child.stdin.write('release\n');
  assert.equal(await released, ['released']);
}

/** Ends the holder if a failed test left it running, and waits until it has gone (with the lock). */
export async function stopHolder({ child }: LockHolder): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill();
  await exited;
}


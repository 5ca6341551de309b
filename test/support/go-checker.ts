import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/**
 * Builds one of the small Go programs kept beside the tests (test/deploy/<name>/, each its own module with a
 * committed go.sum) into .cache/go-checkers/ and returns its path. Go's build cache makes a rebuild take a
 * second or two. Without Go the test fails with the reason, never skips: the checks would silently vanish.
 */
export function buildGoChecker(name: string): string {
  const binary = join(ROOT, '.cache', 'go-checkers', name);
  try {
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: join(ROOT, 'test', 'deploy', name), stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`test/deploy/${name} needs the Go toolchain (go 1.24 or newer) on PATH`);
    throw new Error(`go build in test/deploy/${name} failed:\n${e.stderr?.toString() ?? e.message}`);
  }
  return binary;
}

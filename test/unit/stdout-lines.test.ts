import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const FIXTURE = fileURLToPath(new URL('./fixtures/log-lines.mts', import.meta.url));

function run(count: number, ending: 'exit' | 'throw' | 'later'): { stdout: string; status: number | null } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, String(count), ending], { encoding: 'utf8' });
  return { stdout: result.stdout, status: result.status };
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `line ${i}\n`).join('');

test('lines written in one turn all reach stdout, in order, when the process exits at once', () => {
  const { stdout, status } = run(500, 'exit');
  assert.is(status, 0);
  assert.is(stdout, numbered(500));
});

test('lines written before an uncaught error still reach stdout', () => {
  const { stdout, status } = run(3, 'throw');
  assert.is(status, 1);
  assert.is(stdout, numbered(3));
});

test('lines of later turns follow in order when the event loop runs out', () => {
  const { stdout, status } = run(3, 'later');
  assert.is(status, 0);
  assert.is(stdout, `${numbered(3)}last\n`);
});

test.run();

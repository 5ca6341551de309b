import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeLines } from '../../shared/runtime/observability/stdout-lines.js';

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

/** encodeLines as stdoutLines calls it: with the lines' total length and the longest line's. */
function encoded(lines: string[]): Buffer {
  return encodeLines(lines, lines.reduce((sum, line) => sum + line.length, 0), Math.max(...lines.map((line) => line.length)));
}

test('lines are encoded as UTF-8 exactly as their joined text would be: ASCII, accents, euro signs and emoji', () => {
  const lines = ['plain\n', 'café\n', '€ 5\n', '😀 smile\n', '{"msg":"x"}\n'];
  assert.ok(encoded(lines).equals(Buffer.from(lines.join(''), 'utf8')));
});

test('lines of characters three UTF-8 bytes long each, far more than their length, are encoded whole', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `${'€'.repeat(i * 7)}\n`);
  const expected = Buffer.from(lines.join(''), 'utf8');
  assert.ok(expected.length > 2.5 * lines.join('').length);
  assert.ok(encoded(lines).equals(expected));
});

test.run();

// Runs every uvu test file (unit, contract, end-to-end) in one process and ends with the plain
// "N passed, N failed" line (", N skipped" when any) that CI reads. Exits non-zero on any failure, and when
// no test ran.
import { spawn } from 'node:child_process';

// An argument narrows the run to test files whose path matches it (`node test/run.mjs deploy/`); only *.test.ts
// files count, so helper programs and data beside the tests (test/deploy/validate/go.mod) are never loaded.
const pattern = `^(?=.*(?:${process.argv[2] ?? ''})).*\\.test\\.ts$`;
// uvu's summary in plain text: without --no-color it sets FORCE_COLOR for itself (and every process a test
// starts), and an inherited FORCE_COLOR would colour it too.
const { FORCE_COLOR: _inherited, ...env } = process.env;
const child = spawn(process.execPath, ['node_modules/uvu/bin.js', '-r', 'tsx', '--no-color', 'test', pattern], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
});
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('exit', (code) => {
  const count = (label) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  // uvu's Total counts the tests that ran; skipped ones are counted apart.
  const failed = total - passed;
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && total > 0 && failed === 0 ? 0 : 1);
});

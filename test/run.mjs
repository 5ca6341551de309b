// Runs every uvu test file (unit, contract, end-to-end) in one process and ends with the plain
// "N passed, N failed" line that CI reads. Exits non-zero on any failure.
import { spawn } from 'node:child_process';

// An argument narrows the run to test files whose path matches it (`node test/run.mjs deploy/`); only *.test.ts
// files count, so helper programs and data beside the tests (test/deploy/validate/go.mod) are never loaded.
const pattern = `^(?=.*(?:${process.argv[2] ?? ''})).*\\.test\\.ts$`;
const child = spawn(process.execPath, ['node_modules/uvu/bin.js', '-r', 'tsx', 'test', pattern], { stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('exit', (code) => {
  // uvu colours its counts; the escape codes would stop the numbers from matching.
  output = output.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
  // uvu's Total counts the tests that ran; skipped ones are counted apart.
  const failed = total - passed;
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && total > 0 && failed === 0 ? 0 : 1);
});

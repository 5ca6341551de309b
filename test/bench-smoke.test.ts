import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, spawnNode } from './support/processes.js';

/**
 * `npm run bench` keeps working: a run of a second per row with two connections prints a table row for the
 * ceiling and every workload, each with answers and without errors. Figures are never asserted; they live
 * in BENCHMARKS.md.
 */
const BENCH = join(ROOT, 'test', 'bench', 'http.ts');
const SMOKE = { BENCH_DURATION: '1', BENCH_WARMUP: '0', BENCH_CONNECTIONS: '2', BENCH_QUERY_DOCS: '30', BENCH_QUERY_SCALES: '20,40' };

interface Row {
  readonly workload: string;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

function rowsOf(output: string): Row[] {
  return output
    .split('\n')
    .filter((line) => /^\| .* \| \d+ \| /.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return {
        workload: cells[0]!,
        connections: Number(cells[1]),
        requestsPerSecond: Number(cells[2]),
        errors: Number(cells[6]),
        timeouts: Number(cells[7]),
        non2xx: Number(cells[8]),
      };
    });
}

async function runBench(env: NodeJS.ProcessEnv): Promise<string> {
  const bench = spawnNode(BENCH, { ...SMOKE, ...env }, ['--import', 'tsx']);
  const { code } = await bench.exited;
  assert.is(code, 0, bench.output());
  return bench.output();
}

test('the bench prints a row with answers and no errors for the ceiling, every SQLite workload and the rows without their store', async () => {
  const output = await runBench({ REDIS_URL: '', MONGODB_URI: '' });
  const rows = rowsOf(output);
  const expected = [
    'ceiling: Hono hello-world (before)',
    'ceiling: Hono hello-world (after)',
    'get (store, no cache)',
    'create (generated id)',
    'create (generated id), store answering at once',
    'update (PUT, If-Match: current version)',
    'update operators ($inc on one hot document)',
    'bulk create (100 documents per request)',
    'bulk create (100 documents per request), store answering at once',
    'query (filter + sort, limit 20, 30 docs)',
    'query, 20 docs, no index (time limit 2 s)',
    'query, 20 docs, index {city, age}',
    'query, 20 docs, index {city, age}, store answering at once',
    'query, 40 docs, no index (time limit 2 s)',
    'query, 40 docs, index {city, age}',
  ];
  // A row may end with a note after its label (the $inc check, the bulk create's documents/s).
  assert.equal(rows.map((r, i) => (r.workload.startsWith(`${expected[i]} (`) ? expected[i] : r.workload)), expected, output);
  for (const row of rows) {
    assert.is(row.connections, 2);
    assert.ok(row.requestsPerSecond > 0, `${row.workload} answered nothing:\n${output}`);
    assert.equal([row.errors, row.timeouts, row.non2xx], [0, 0, 0], `${row.workload}:\n${output}`);
  }
  assert.match(output, /get \(cache hit\): not measured — REDIS_URL is not set\./);
  assert.match(output, /index \{city: 1, age: -1\} built over 40 documents in \d+ ms/);
  assert.match(output, /indexed query at 2 connections: 40 docs keep \d+% of the req\/s at 20 docs/);
});

test('with BENCH_SERVER_CPUS the measured processes run on those CPUs and the load generator on the others', async () => {
  const output = await runBench({ REDIS_URL: '', MONGODB_URI: '', BENCH_WORKLOADS: 'get-store', BENCH_SERVER_CPUS: '0' });
  assert.match(output, /the measured process is held to CPU 0 and the load generator to the others/);
  const rows = rowsOf(output);
  assert.equal(rows.map((r) => r.workload), ['ceiling: Hono hello-world (before)', 'ceiling: Hono hello-world (after)', 'get (store, no cache)'], output);
  for (const row of rows) assert.ok(row.requestsPerSecond > 0, `${row.workload} answered nothing:\n${output}`);
});

test('BENCH_SERVER_CPUS that leaves no CPU for the load generator is refused, naming the variable', async () => {
  const everyCpu = Array.from({ length: availableParallelism() }, (_, cpu) => cpu).join(',');
  const bench = spawnNode(BENCH, { ...SMOKE, REDIS_URL: '', MONGODB_URI: '', BENCH_SERVER_CPUS: everyCpu }, ['--import', 'tsx']);
  const { code } = await bench.exited;
  assert.is.not(code, 0);
  assert.match(bench.output(), /BENCH_SERVER_CPUS=.*leaving at least one for the load generator/);
});

test.run();

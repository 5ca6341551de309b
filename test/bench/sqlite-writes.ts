/**
 * The SQLite store's write path in one process, without HTTP: documents per second, CPU per document (every
 * thread), the main thread's busy time per document (what a request waits behind), and the spread of one round
 * of writes in flight. Usage: `tsx test/bench/sqlite-writes.ts <bulk|single> [repository root]`; the root lets
 * one checkout measure another's store (a worktree of an earlier commit) with the same load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const mode = process.argv[2] === 'single' ? 'single' : 'bulk';
const root = resolve(process.argv[3] ?? '.');
const { openSqliteStore } = await import(join(root, 'shared/infrastructure/sqlite/sqlite-store.ts'));
const { newDocument } = await import(join(root, 'shared/domain/document.ts'));

/** Bulk: 8 creates of 100 documents in flight; single: 100 creates in flight, as the HTTP bench's connections. */
const IN_FLIGHT = mode === 'bulk' ? 8 : 100;
const PER_CALL = mode === 'bulk' ? 100 : 1;
const WARM_ROUNDS = 100;
const ROUNDS = 1500;

const dir = mkdtempSync(join(tmpdir(), 'sqlite-writes-'));
const store = openSqliteStore({ dataDir: dir });
let made = 0;
const data = () => ({ name: 'x'.repeat(40), city: 'Lyon', age: made % 90, tags: ['a', 'b'], nested: { a: 1, b: 'two' } });
const next = () => newDocument('bench', `id-${made++}-${Math.random().toString(36).slice(2)}`, data(), new Date());
const write = (): Promise<unknown> =>
  mode === 'bulk'
    ? store.createMany('bench', Array.from({ length: PER_CALL }, () => ({ document: next() })), false)
    : store.create(next());
const round = () => Promise.all(Array.from({ length: IN_FLIGHT }, write));

try {
  for (let i = 0; i < WARM_ROUNDS; i++) await round();
  const loop0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const rounds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const began = performance.now();
    await round();
    rounds.push(performance.now() - began);
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const loop = performance.eventLoopUtilization(loop0);
  rounds.sort((a, b) => a - b);
  const documents = ROUNDS * IN_FLIGHT * PER_CALL;
  const at = (q: number) => rounds[Math.min(rounds.length - 1, Math.floor(rounds.length * q))]!.toFixed(2);
  console.log(
    `${mode} from ${root}: ${Math.round((documents / elapsed) * 1000)} documents/s, ` +
      `CPU ${((cpu.user + cpu.system) / documents).toFixed(2)} µs/document, ` +
      `main thread busy ${((loop.active * 1000) / documents).toFixed(2)} µs/document, ` +
      `round p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

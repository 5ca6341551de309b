/**
 * `tsx test/bench/sqlite-drivers.ts`: the two SQLite drivers the store could run on, side by side, to choose one
 * by measurement (BENCHMARKS.md, "SQLite driver"): `better-sqlite3` (a Node-API addon) and Node's built-in
 * `node:sqlite` (DatabaseSync). Each runs the statements the store's hot paths run, on a WAL database file
 * with synchronous=NORMAL as shared/infrastructure/sqlite/schema.ts sets it, in a fresh process per run:
 * - cold start: import the driver, open the file, prepare and run the first point read;
 * - batched inserts: documents plus one BLOB-keyed index entry each, 100 per BEGIN IMMEDIATE transaction;
 * - single writes: one autocommit upsert each (what a lone create costs in statements);
 * - point reads by primary key, and index range scans that read only the id column (better-sqlite3's
 *   `pluck()`; node:sqlite returns rows as arrays via setReturnArrays and takes the first).
 * Prints a markdown table of medians with the load average; BENCH_RUNS (default 5) runs per driver.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQLInputValue } from 'node:sqlite';
import { fileURLToPath } from 'node:url';

const DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
type DriverName = (typeof DRIVERS)[number];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DOCUMENTS = 20_000;
const POINT_READS = 50_000;
const SCANS = 5_000;
const SINGLE_WRITES = 2_000;

/** The few calls both drivers share in spirit; `firstColumn` is the pluck. */
interface Driver {
  exec(sql: string): void;
  run(sql: string): (...params: unknown[]) => void;
  get(sql: string): (...params: unknown[]) => unknown;
  firstColumn(sql: string): (...params: unknown[]) => unknown[];
  close(): void;
}

async function open(name: DriverName, file: string): Promise<Driver> {
  if (name === 'better-sqlite3') {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { timeout: 5000 });
    return {
      exec: (sql) => db.exec(sql),
      run: (sql) => {
        const statement = db.prepare(sql);
        return (...params) => void statement.run(...params);
      },
      get: (sql) => {
        const statement = db.prepare(sql);
        return (...params) => statement.get(...params);
      },
      firstColumn: (sql) => {
        const statement = db.prepare(sql).pluck();
        return (...params) => statement.all(...params);
      },
      close: () => db.close(),
    };
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file, { timeout: 5000 });
  return {
    exec: (sql) => db.exec(sql),
    run: (sql) => {
      const statement = db.prepare(sql);
      return (...params) => void statement.run(...(params as SQLInputValue[]));
    },
    get: (sql) => {
      const statement = db.prepare(sql);
      return (...params) => statement.get(...(params as SQLInputValue[]));
    },
    firstColumn: (sql) => {
      const statement = db.prepare(sql);
      statement.setReturnArrays(true);
      return (...params) => (statement.all(...(params as SQLInputValue[])) as unknown as unknown[][]).map((row) => row[0]);
    },
    close: () => db.close(),
  };
}

const SCHEMA = `
  PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
  CREATE TABLE IF NOT EXISTS documents (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS index_entries (collection TEXT NOT NULL, key BLOB NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (collection, key, id)) WITHOUT ROWID;`;

const key = (i: number) => Buffer.from([0x20, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]);
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

async function measure(name: DriverName, dir: string): Promise<void> {
  const file = join(dir, 'bench.sqlite');
  let start = process.hrtime.bigint();
  const db = await open(name, file);
  db.exec(SCHEMA);
  db.get('SELECT data FROM documents WHERE collection = ? AND id = ?')('c', 'none');
  const coldMs = ms(start);

  const insertDocument = db.run('INSERT INTO documents (collection, id, version, data) VALUES (?, ?, 1, ?)');
  const insertEntry = db.run('INSERT INTO index_entries (collection, key, id) VALUES (?, ?, ?)');
  start = process.hrtime.bigint();
  for (let batch = 0; batch < DOCUMENTS; batch += 100) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = batch; i < batch + 100; i++) {
      insertDocument('c', `doc-${i}`, JSON.stringify({ n: i, name: `name ${i}`, tags: ['a', 'b'] }));
      insertEntry('c', key(i), `doc-${i}`);
    }
    db.exec('COMMIT');
  }
  const insertsPerSecond = DOCUMENTS / (ms(start) / 1000);

  const upsert = db.run(
    'INSERT INTO documents (collection, id, version, data) VALUES (?, ?, 1, ?) ON CONFLICT (collection, id) DO UPDATE SET version = version + 1, data = excluded.data',
  );
  start = process.hrtime.bigint();
  for (let i = 0; i < SINGLE_WRITES; i++) upsert('single', `doc-${i % 100}`, '{"n":1}');
  const singleWritesPerSecond = SINGLE_WRITES / (ms(start) / 1000);

  const pointRead = db.get('SELECT version, data FROM documents WHERE collection = ? AND id = ?');
  start = process.hrtime.bigint();
  for (let i = 0; i < POINT_READS; i++) if (!pointRead('c', `doc-${(i * 7919) % DOCUMENTS}`)) throw new Error('missing document');
  const readsPerSecond = POINT_READS / (ms(start) / 1000);

  const scan = db.firstColumn('SELECT id FROM index_entries WHERE collection = ? AND key >= ? ORDER BY key LIMIT 50');
  start = process.hrtime.bigint();
  for (let i = 0; i < SCANS; i++) if (scan('c', key((i * 131) % (DOCUMENTS - 50))).length !== 50) throw new Error('short scan');
  const scansPerSecond = SCANS / (ms(start) / 1000);
  db.close();
  console.log(JSON.stringify({ coldMs, insertsPerSecond, singleWritesPerSecond, readsPerSecond, scansPerSecond }));
}

const child = process.argv[2] as DriverName | undefined;
if (child) {
  await measure(child, process.argv[3]!);
} else {
  const average = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Node ${process.version}, load average ${average()}, median of ${RUNS} fresh processes`);
  console.log('| driver | cold start (import, open, first read) | batched inserts/s | single writes/s | point reads/s | 50-id index scans/s |');
  console.log('|---|---|---|---|---|---|');
  for (const name of DRIVERS) {
    const runs = Array.from({ length: RUNS }, () => {
      const dir = mkdtempSync(join(tmpdir(), 'dbsvc-sqlite-bench-'));
      try {
        const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), name, dir], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
        return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, number>;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    const median = (key: string) => runs.map((run) => run[key]!).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const rate = (key: string) => Math.round(median(key)).toLocaleString('en');
    console.log(`| ${name} | ${median('coldMs').toFixed(1)} ms | ${rate('insertsPerSecond')} | ${rate('singleWritesPerSecond')} | ${rate('readsPerSecond')} | ${rate('scansPerSecond')} |`);
  }
  console.log(`load average after: ${average()}`);
}

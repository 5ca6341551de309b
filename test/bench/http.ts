/**
 * `npm run bench`: HTTP throughput and latency of each function process against this machine's own ceiling.
 *
 * For every row the bench starts a fresh process from its bundle (as one Knative pod runs it), loads it with
 * autocannon over loopback and measures BENCH_DURATION seconds of steady state after BENCH_WARMUP seconds of
 * warm-up on the same connections, reads its CPU time and peak RSS, and stops it. The ceiling is a bare Hono hello-world on @hono/node-server, bundled by the same
 * esbuild options, measured before and after each store's workloads at every connection count; each row's
 * ratio is to the mean of those two. The create, bulk create and indexed query rows are each followed by the same
 * load against their function around a store that answers at once: what the row would reach if its store cost
 * nothing. The load generator runs in this process, on the same cores.
 *
 * Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default
 * "100,1000"), BENCH_QUERY_DOCS (default 1000), BENCH_QUERY_SCALES (collection sizes of the query rows without
 * and with an index, default "1000,10000,100000"), BENCH_WORKLOADS (comma list of get-cache, get-store, create,
 * update, query, query-scaled, query-indexed, inc-hot, bulk-create; default all), BENCH_CPU_PROF (a directory:
 * function processes, and the references without a store, run with --cpu-prof there), BENCH_SERVER_CPUS (a comma
 * list of CPU numbers, e.g. "1": every measured process, the ceiling's too, is held to those CPUs and the load
 * generator to the others, as when clients run on other machines; unset, all share every core).
 * SQLite always; MongoDB too when MONGODB_URI is set; the cached get when REDIS_URL is set.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { withDatabase } from '../support/mongodb.js';
import { DIST, ROOT, tempDir } from '../support/processes.js';
import { runLoad, type LoadResult, type LoadSpec } from './load.js';
import { serveBundle, type ServerProcess } from './server-process.js';
import { prepareWorkloads, WORKLOAD_KEYS, type CreateIndex, type Seed, type Workload, type WorkloadKey } from './workloads.js';
import { functionNodeFlags } from '../../shared/runtime/startup/node-flags.js';

const GET_P99_TARGET_MS = 30;
/**
 * Workloads measured a second time, under the same load, against their function around a store that answers at
 * once (function-without-store.ts): how fast the row could be if its store cost nothing. The indexed query's
 * reference runs beside its first row only.
 */
const WITHOUT_STORE = new Map<WorkloadKey, 'create' | 'query'>([
  ['create', 'create'],
  ['bulk-create', 'create'],
  ['query-indexed', 'query'],
]);
const RSS_TARGET_BYTES = 128 * 2 ** 20;
const SEED_CONCURRENCY = 16;
/** A bulk create must write at least this many times the documents/s of single creates in the same run. */
const BULK_TARGET_TIMES = 10;

interface Settings {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: readonly number[];
  readonly queryDocuments: number;
  readonly queryScales: readonly number[];
  readonly workloads: ReadonlySet<WorkloadKey>;
  readonly cpuProfileDir: string | undefined;
  readonly serverCpus: readonly number[] | undefined;
}

function number(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name}=${JSON.stringify(raw)}: must be a number ≥ ${min}`);
  return value;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] || fallback).split(',').map((item) => item.trim()).filter(Boolean);
}

function serverCpus(): number[] | undefined {
  const cpus = list('BENCH_SERVER_CPUS', '').map(Number);
  if (cpus.length === 0) return undefined;
  const cores = availableParallelism();
  if (!cpus.every((cpu) => Number.isInteger(cpu) && cpu >= 0 && cpu < cores) || cpus.length >= cores) {
    throw new Error(`BENCH_SERVER_CPUS=${JSON.stringify(process.env.BENCH_SERVER_CPUS)}: must be CPU numbers below ${cores}, leaving at least one for the load generator`);
  }
  return cpus;
}

/** Holds this process (the load generator), every thread of it, to the CPUs the servers are not held to. */
function pinLoadGenerator(serverCpus: readonly number[]): void {
  const others = Array.from({ length: availableParallelism() }, (_, cpu) => cpu).filter((cpu) => !serverCpus.includes(cpu));
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', others.join(','), String(process.pid)], { encoding: 'utf8' });
  if (pinned.status !== 0) throw new Error(`BENCH_SERVER_CPUS: taskset failed: ${pinned.stderr || pinned.error}`);
}

function readSettings(): Settings {
  const connections = list('BENCH_CONNECTIONS', '100,1000').map(Number);
  if (connections.length === 0 || !connections.every((c) => Number.isInteger(c) && c >= 1)) {
    throw new Error(`BENCH_CONNECTIONS=${JSON.stringify(process.env.BENCH_CONNECTIONS)}: must be positive integers, comma-separated`);
  }
  const workloads = list('BENCH_WORKLOADS', WORKLOAD_KEYS.join(','));
  const unknown = workloads.filter((w) => !(WORKLOAD_KEYS as readonly string[]).includes(w));
  if (unknown.length) throw new Error(`BENCH_WORKLOADS: unknown ${unknown.join(', ')}; choose from ${WORKLOAD_KEYS.join(', ')}`);
  return {
    durationSeconds: number('BENCH_DURATION', 10, 1),
    warmupSeconds: number('BENCH_WARMUP', 2, 0),
    connections,
    queryDocuments: Math.round(number('BENCH_QUERY_DOCS', 1000, 1)),
    queryScales: list('BENCH_QUERY_SCALES', '1000,10000,100000').map(Number),
    workloads: new Set(workloads as WorkloadKey[]),
    cpuProfileDir: process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined,
    serverCpus: serverCpus(),
  };
}

interface Store {
  readonly label: string;
  readonly env: NodeJS.ProcessEnv;
  /** A line of the seeding create function's /metrics that shows this store really served it. */
  readonly proof: RegExp;
  /** Removes what the run stored, when the store outlives the run. */
  readonly cleanup?: () => Promise<void>;
}

/** MongoDB in a database of its own for this run, dropped afterwards. */
async function mongoStore(uri: string, runId: string): Promise<Store> {
  const database = `dbsvc_bench_${runId}`;
  const runUri = withDatabase(uri, database);
  const { MongoClient } = await import('mongodb');
  return {
    label: 'MongoDB',
    env: { STORE: 'mongodb', MONGODB_URI: runUri },
    proof: /^db_operations_total\{[^}]*store="mongodb"/m,
    cleanup: async () => {
      const client = new MongoClient(runUri);
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

interface Measurement {
  readonly result: LoadResult;
  readonly peakRssBytes: number;
  /** CPU time of the measured process per completed request: less sensitive to a busy machine than req/s. */
  readonly cpuMicrosPerRequest: number;
}

interface Row extends Measurement {
  readonly workload: string;
  readonly connections: number;
  readonly ratio?: number;
  readonly verdict: string;
  readonly note?: string;
}

interface References {
  /** The hello-world ceiling. */
  readonly floor: string;
  /** A function around a store that answers at once (function-without-store.ts). */
  readonly withoutStore: string;
}

class Bench {
  readonly #floorBundle: string;
  readonly #withoutStoreBundle: string;
  readonly #settings: Settings;
  readonly #logDir: string;
  #processes = 0;

  constructor(references: References, settings: Settings, logDir: string) {
    this.#floorBundle = references.floor;
    this.#withoutStoreBundle = references.withoutStore;
    this.#settings = settings;
    this.#logDir = logDir;
  }

  async start(bundle: string, env: NodeJS.ProcessEnv, readyPath: string, nodeFlags: readonly string[] = []): Promise<ServerProcess> {
    const cpus = this.#settings.serverCpus?.join(',');
    return serveBundle(bundle, env, { readyPath, nodeFlags, cpus, logFile: join(this.#logDir, `process-${++this.#processes}.log`) });
  }

  /** A function process, with the flags it runs with everywhere; with BENCH_CPU_PROF it writes a CPU profile when it stops. */
  startFunction(workload: Pick<Workload, 'fn'>, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    return this.start(join(DIST, 'functions', `${workload.fn}.mjs`), env, '/readyz', this.#functionFlags(workload.fn));
  }

  /** The flags a function runs with everywhere, and with BENCH_CPU_PROF the flags that make it write a CPU profile. */
  #functionFlags(fn: Workload['fn']): string[] {
    const profile = this.#settings.cpuProfileDir;
    return [...functionNodeFlags(fn), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])];
  }

  /**
   * One load run: warm-up, then the measured window on the same connections; peak RSS covers both. The files
   * earlier rows wrote are flushed first: a bulk create row leaves hundreds of MB for the kernel to write back
   * some 30 s later, which it would do on these two cores while a later row is measured.
   */
  async measure(server: ServerProcess, spec: LoadSpec, connections: number): Promise<Measurement> {
    const { durationSeconds, warmupSeconds } = this.#settings;
    spawnSync('sync', { stdio: 'ignore' });
    let cpuAtStart = 0;
    const result = await runLoad(server.url, spec, { connections, warmupSeconds, durationSeconds, onMeasureStart: () => (cpuAtStart = server.cpuSeconds()) });
    const cpuSeconds = server.cpuSeconds() - cpuAtStart;
    return { result, peakRssBytes: server.peakRssBytes(), cpuMicrosPerRequest: (cpuSeconds * 1e6) / result.completed };
  }

  /**
   * One unmeasured run against the ceiling before anything is measured: the load generator shares this
   * process and its cores, and until its own code is optimized it slows whatever is measured first (seen
   * here: a first ceiling 40% below the same ceiling measured a minute later). None with BENCH_WARMUP=0.
   */
  async warmLoadGenerator(): Promise<void> {
    if (this.#settings.warmupSeconds === 0) return;
    const server = await this.start(this.#floorBundle, {}, '/hello');
    try {
      const seconds = Math.max(3, this.#settings.warmupSeconds);
      await runLoad(server.url, { method: 'GET', path: '/hello' }, { connections: 100, warmupSeconds: 0, durationSeconds: seconds });
    } finally {
      await server.stop();
    }
  }

  /** `fn` around a store that answers at once, composed as the store of `env` is, with the flags it runs with everywhere (and BENCH_CPU_PROF's). */
  startWithoutStore(fn: 'create' | 'query', env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    return this.start(this.#withoutStoreBundle, { ...env, BENCH_FUNCTION: fn }, '/readyz', this.#functionFlags(fn));
  }

  async ceiling(connections: number): Promise<Measurement> {
    const server = await this.start(this.#floorBundle, {}, '/hello');
    try {
      return await this.measure(server, { method: 'GET', path: '/hello' }, connections);
    } finally {
      await server.stop();
    }
  }
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function verdictOf(workload: Workload, connections: number, result: LoadResult, ratio: number, peakRssBytes: number): string {
  const misses: string[] = [];
  if (ratio < workload.targetRatio) misses.push(`ratio < ${workload.targetRatio}`);
  if (workload.fn === 'get' && connections === 100 && !(result.p99Ms <= GET_P99_TARGET_MS)) misses.push(`p99 > ${GET_P99_TARGET_MS} ms`);
  if (connections >= 1000 && (result.errors > 0 || result.timeouts > 0)) misses.push('errors at 1,000');
  if (peakRssBytes > RSS_TARGET_BYTES) misses.push('RSS > 128 MB');
  return misses.length ? `MISS: ${misses.join(', ')}` : `ok (≥ ${workload.targetRatio}×)`;
}

function renderTable(rows: readonly Row[]): string {
  const lines = rows.map((row) => {
    const r = row.result;
    const cells = [
      row.note ? `${row.workload} ${row.note}` : row.workload,
      String(row.connections),
      fixed(r.requestsPerSecond, 0),
      fixed(r.p50Ms),
      fixed(r.p95Ms),
      fixed(r.p99Ms),
      String(r.errors),
      String(r.timeouts),
      String(r.non2xx),
      fixed(row.peakRssBytes / 2 ** 20),
      fixed(row.cpuMicrosPerRequest, 0),
      row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
      row.verdict,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '| workload | conns | req/s | p50 ms | p95 ms | p99 ms | errors | timeouts | non-2xx | peak RSS MiB | CPU µs/req | × ceiling | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...lines,
  ].join('\n');
}

/** Creates documents through a create function, SEED_CONCURRENCY at a time; anything but 201 is fatal. */
function seederAt(url: string): Seed {
  return async (collection, documents) => {
    let next = 0;
    const worker = async () => {
      while (next < documents.length) {
        const document = documents[next++]!;
        const response = await fetch(`${url}/v1/collections/${collection}/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(document),
        });
        const text = await response.text();
        if (response.status !== 201) throw new Error(`seeding ${collection}/${document.id} answered ${response.status}: ${text}`);
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  };
}

async function metricsOf(server: ServerProcess): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

function counterTotal(metrics: string, name: string): number {
  let total = 0;
  for (const match of metrics.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

const CACHE_PROBE_READS = 20;
const CACHE_PROBE_PAUSE_MS = 50;

/** Why the cached get cannot be measured on this run, or undefined when a get function really answers from the cache. */
async function cacheUnavailable(bench: Bench, env: NodeJS.ProcessEnv, probePath: string): Promise<string | undefined> {
  if (!process.env.REDIS_URL) return 'REDIS_URL is not set';
  const server = await bench.startFunction({ fn: 'get' }, { ...env, REDIS_URL: process.env.REDIS_URL });
  try {
    // The cache is filled after the first answer is sent, so the read that can hit comes a moment later.
    for (let i = 0; i < CACHE_PROBE_READS; i++) {
      await (await fetch(`${server.url}${probePath}`)).text();
      if (counterTotal(await metricsOf(server), 'cache_hits_total') > 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, CACHE_PROBE_PAUSE_MS));
    }
    return `REDIS_URL is set, but ${CACHE_PROBE_READS} gets of one document moved no cache_hits_total: this build has no cache in front of the store`;
  } finally {
    await server.stop();
  }
}

async function benchStore(bench: Bench, store: Store, settings: Settings, runId: string): Promise<void> {
  const seeder = await bench.startFunction({ fn: 'create' }, store.env);
  const indexer = await bench.startFunction({ fn: 'indexes' }, store.env);
  const notes: string[] = [];
  try {
    const workloads = await prepareWorkloads({
      seed: seederAt(seeder.url),
      runId,
      maxConnections: Math.max(...settings.connections),
      queryDocuments: settings.queryDocuments,
      createIndex: indexerAt(indexer.url),
      queryScales: settings.queryScales,
      note: (line) => notes.push(line),
    });
    if (!store.proof.test(await metricsOf(seeder))) {
      console.log(`\n### ${store.label}\n\nNot measured: the create function of this build did not use it (no ${store.proof} in /metrics).`);
      return;
    }
    const chosen = workloads.all.filter((w) => settings.workloads.has(w.key));
    let measured = chosen;
    if (chosen.some((w) => w.cached)) {
      const why = await cacheUnavailable(bench, store.env, workloads.probePath);
      if (why) {
        notes.push(`get (cache hit): not measured — ${why}.`);
        measured = chosen.filter((w) => !w.cached);
      }
    }
    const rows: Row[] = [];
    for (const connections of settings.connections) {
      const before = await bench.ceiling(connections);
      const measuredRows: Array<Measurement & { workload: Workload; note?: string; checkFailed: boolean; withoutStore?: true }> = [];
      const referenced = new Set<WorkloadKey>();
      for (const workload of measured) {
        process.stderr.write(`${store.label}: ${workload.label} at ${connections} connections\n`);
        const env = workload.cached ? { ...store.env, REDIS_URL: process.env.REDIS_URL } : store.env;
        const server = await bench.startFunction(workload, env);
        try {
          const measurement = await bench.measure(server, await workload.prepare(connections), connections);
          let note: string | undefined;
          let checkFailed = false;
          if (workload.cached) {
            const metrics = await metricsOf(server);
            note = `(${counterTotal(metrics, 'cache_hits_total')} hits, ${counterTotal(metrics, 'cache_misses_total')} misses incl. warm-up)`;
          }
          if (workload.check) {
            const checked = await workload.check(server.url);
            note = checked.note;
            checkFailed = !checked.ok;
          }
          measuredRows.push({ workload, ...measurement, checkFailed, ...(note ? { note } : {}) });
        } finally {
          await server.stop();
        }
        const fn = WITHOUT_STORE.get(workload.key);
        if (fn === undefined || referenced.has(workload.key)) continue;
        referenced.add(workload.key);
        process.stderr.write(`${store.label}: ${workload.label}, store answering at once, at ${connections} connections\n`);
        const reference = await bench.startWithoutStore(fn, { ...store.env, BENCH_QUERY_SCALE: String(workload.scale ?? '') });
        try {
          measuredRows.push({ workload, ...(await bench.measure(reference, await workload.prepare(connections), connections)), checkFailed: false, withoutStore: true });
        } finally {
          await reference.stop();
        }
      }
      const after = await bench.ceiling(connections);
      const ceilingRps = (before.result.requestsPerSecond + after.result.requestsPerSecond) / 2;
      for (const [when, ceiling] of [['before', before], ['after', after]] as const) {
        rows.push({ workload: `ceiling: Hono hello-world (${when})`, connections, ...ceiling, verdict: 'ceiling' });
      }
      const singleCreatesOf = (withoutStore: boolean) =>
        measuredRows.find((row) => row.workload.key === 'create' && (row.withoutStore ?? false) === withoutStore)?.result.requestsPerSecond;
      for (const { workload, note, checkFailed, withoutStore, ...measurement } of measuredRows) {
        const ratio = measurement.result.requestsPerSecond / ceilingRps;
        if (withoutStore) {
          const label = `${workload.label}, store answering at once`;
          const documents = workload.documentsPerRequest ? documentsNote(measurement.result, workload.documentsPerRequest, singleCreatesOf(true)) : undefined;
          rows.push({ workload: label, connections, ...measurement, ratio, verdict: 'reference: the row without its store', ...(documents ? { note: documents.note } : {}) });
          continue;
        }
        let verdict = verdictOf(workload, connections, measurement.result, ratio, measurement.peakRssBytes);
        let rowNote = note;
        if (checkFailed) verdict = `MISS: check failed; ${verdict}`;
        if (workload.documentsPerRequest) {
          const documents = documentsNote(measurement.result, workload.documentsPerRequest, singleCreatesOf(false));
          rowNote = documents.note;
          if (!(documents.times >= BULK_TARGET_TIMES)) verdict = `MISS: documents/s < ${BULK_TARGET_TIMES}× single creates; ${verdict}`;
        }
        rows.push({ workload: workload.label, connections, ...measurement, ratio, verdict, ...(rowNote ? { note: rowNote } : {}) });
      }
    }
    console.log(`\n### ${store.label}\n`);
    console.log(renderTable(rows));
    notes.push(...flatness(rows, measured));
    for (const note of notes) console.log(`\n${note}`);
  } finally {
    await seeder.stop();
    await indexer.stop();
  }
}

/** Documents/s of a bulk row, and how many times the single creates/s of the same run (NaN without them). */
function documentsNote(result: LoadResult, documentsPerRequest: number, singleCreates: number | undefined): { note: string; times: number } {
  const documentsPerSecond = result.requestsPerSecond * documentsPerRequest;
  const times = singleCreates ? documentsPerSecond / singleCreates : Number.NaN;
  return { note: `(${fixed(documentsPerSecond, 0)} documents/s = ${fixed(times)}× single creates)`, times };
}

/**
 * Whether the indexed query's cost stays flat as the collection grows: its req/s at the largest collection as a
 * fraction of its req/s at the smallest, per connection count (goal: at least 2/3).
 */
function flatness(rows: readonly Row[], measured: readonly Workload[]): string[] {
  const indexed = measured.filter((w) => w.key === 'query-indexed' && w.scale !== undefined).sort((a, b) => a.scale! - b.scale!);
  if (indexed.length < 2) return [];
  const [smallest, largest] = [indexed[0]!, indexed.at(-1)!];
  return [...new Set(rows.map((r) => r.connections))].flatMap((connections) => {
    const rps = (w: Workload) => rows.find((r) => r.workload === w.label && r.connections === connections)?.result.requestsPerSecond;
    const [small, large] = [rps(smallest), rps(largest)];
    if (!small || large === undefined) return [];
    const kept = large / small;
    return [
      `indexed query at ${connections} connections: ${largest.scale!.toLocaleString('en')} docs keep ${(kept * 100).toFixed(0)}% of the req/s at ` +
        `${smallest.scale!.toLocaleString('en')} docs (goal ≥ 67%): ${kept >= 2 / 3 ? 'ok' : 'MISS'}.`,
    ];
  });
}

function indexerAt(url: string): CreateIndex {
  return async (collection, name, body) => {
    const response = await fetch(`${url}/v1/collections/${collection}/indexes/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201 && response.status !== 200) throw new Error(`creating index ${collection}/${name} answered ${response.status}: ${text}`);
  };
}

/** The bench's own bundles: the hello-world ceiling, and a function around a store that answers at once. */
async function buildReferences(): Promise<References> {
  const { bundleOptions } = await import(pathToFileURL(join(ROOT, 'esbuild.config.mjs')).href);
  const outdir = join(ROOT, '.cache', 'bench');
  const entries = ['hello-world', 'function-without-store'];
  // The same options as the functions (splitting included, so an outdir and an entry name).
  await build({ ...bundleOptions, entryPoints: entries.map((name) => ({ in: join(ROOT, 'test', 'bench', `${name}.ts`), out: name })), outdir });
  return { floor: join(outdir, 'hello-world.mjs'), withoutStore: join(outdir, 'function-without-store.mjs') };
}

function cpuModel(): string {
  return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const settings = readSettings();
// Read before pinning: afterwards this process sees only the load generator's CPUs.
const cores = availableParallelism();
if (settings.serverCpus) pinLoadGenerator(settings.serverCpus);
const data = tempDir('dbsvc-bench');
// Stopped early, the bench still removes its data and (server-process.ts) every server it started.
process.on('exit', data.remove);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));
const bench = new Bench(await buildReferences(), settings, data.path);
await bench.warmLoadGenerator();
const runId = `${Date.now().toString(36)}${process.pid}`;
const stores: Store[] = [
  { label: 'SQLite', env: { STORE: 'sqlite', DATA_DIR: join(data.path, 'sqlite') }, proof: /^db_operations_total\{[^}]*store="sqlite"/m },
];
if (process.env.MONGODB_URI) stores.push(await mongoStore(process.env.MONGODB_URI, runId));
console.log(`Machine: ${cores} cores, ${cpuModel()}, Node ${process.version}; load average at start ${load()}.`);
console.log(
  `Each row: a fresh process under autocannon over loopback (one request in flight per connection), measured for ` +
    `${settings.durationSeconds} s after ${settings.warmupSeconds} s of warm-up on the same connections; ` +
    (settings.serverCpus
      ? `the measured process is held to CPU ${settings.serverCpus.join(',')} and the load generator to the others.`
      : 'the load generator shares the cores with the process it measures.'),
);
for (const store of stores) {
  try {
    await benchStore(bench, store, settings, runId);
  } finally {
    await store.cleanup?.();
  }
}
console.log(`\nLoad average at the end: ${load()}.`);

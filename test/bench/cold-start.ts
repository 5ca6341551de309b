/**
 * `npm run bench:cold`: how long a function takes from `spawn` to the first successful answer of its own
 * operation, next to a minimal Hono hello-world bundle built the same way (the floor). The functions start
 * from the build's V8 compile cache (dist/compile-cache); the floor is measured as it is (no cache) and with a
 * compile cache of its own, and each function without its cache too (`NODE_DISABLE_COMPILE_CACHE=1`), so the
 * table shows what the cache is worth and whether a function beats the floor only because of it.
 * Runs are interleaved (floor, create, get, … then again) so machine noise spreads over every target alike.
 *
 * COLD_START_RUNS (default 20) sets the runs per target. SQLite always; MongoDB when MONGODB_URI is set; the
 * Redis cache (on SQLite) when REDIS_URL is set. Prints one markdown table per store with p50/p95, the ratio
 * of p50 to the floor's, the CPU time the process spent until that answer (steadier than wall time on a
 * shared machine), the bytes of bundle it reads at start (the bundle and the chunks it imports at once), the
 * bytes it read() in all until that answer (bundle, compile cache, anything else; /proc/<pid>/io rchar) and the
 * RSS right after the first answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../../esbuild.config.mjs';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/runtime/http/routes.js';
import { functionNodeFlags } from '../../shared/runtime/startup/node-flags.js';
import { builtOutputs, startupBytes } from '../support/bundles.js';
import { DIST, freePort, ROOT, tempDir } from '../support/processes.js';

const RUNS = positiveInt(process.env.COLD_START_RUNS, 20, 'COLD_START_RUNS');
/** Issue 17: a function's p50 at most the bare Hono hello-world's (without a compile cache, as it is built). */
const FLOOR_RATIO = 1.0;
const MAX_BUNDLE_BYTES = 1024 * 1024;
const READY_DEADLINE_MS = 30_000;
const COLLECTION = 'coldstart';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly expect: number;
}

interface Target {
  readonly name: string;
  readonly bundle: string;
  /** Node flags before the bundle: a function's are those it runs with everywhere (node-flags.ts). */
  readonly nodeFlags?: readonly string[];
  /** Added to the store's environment (the compile cache switches). */
  readonly env?: NodeJS.ProcessEnv;
  /** What the process reads at start: the bundle and the chunks it imports statically. */
  readonly startupBytes: number;
  /** The request that proves the process serves its purpose; `run` numbers each cold start. */
  readonly call: (run: number) => Call;
  /** Untimed preparation before each cold start (e.g. the document a delete removes). */
  readonly prepare?: (run: number) => Promise<void>;
}

interface Sample {
  readonly ms: number;
  /** CPU time the process used until its first answer; far less sensitive to other load than wall time. */
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** Bytes the process read() until its first answer. */
  readonly readBytes: number;
}

interface Store {
  readonly label: string;
  readonly env: NodeJS.ProcessEnv;
  /** A line of a get function's /metrics, after two reads, that shows the store (or cache) really is in use. */
  readonly proof: RegExp;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${JSON.stringify(value)}: must be a positive integer`);
  return n;
}

/** One HTTP exchange without connection reuse, so every attempt reaches the fresh process. */
function send(port: number, call: Call): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: call.method,
        path: call.path,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kib * 1024;
}

function readBytesOf(child: ChildProcess): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
}

/** Nanoseconds on CPU of every thread of the process (Linux schedstat), as milliseconds. */
function cpuMsOf(child: ChildProcess): number {
  const tasks = readdirSync(`/proc/${child.pid}/task`);
  const ns = tasks.reduce((sum, task) => sum + Number(readFileSync(`/proc/${child.pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]), 0);
  return ns / 1e6;
}

/** Spawns the bundle and retries its call until the expected status arrives; the clock runs from spawn. */
async function coldStart(target: Target, run: number, env: NodeJS.ProcessEnv): Promise<Sample> {
  const port = await freePort();
  const call = target.call(run);
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, [...(target.nodeFlags ?? []), target.bundle], {
    env: { ...process.env, ...env, ...target.env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${target.name} exited with ${child.exitCode}:\n${output}`);
      if (performance.now() - started > READY_DEADLINE_MS) throw new Error(`${target.name} did not answer within ${READY_DEADLINE_MS} ms:\n${output}`);
      const status = await send(port, call).catch(() => 0);
      if (status === call.expect) {
        const ms = performance.now() - started;
        return { ms, cpuMs: cpuMsOf(child), rssBytes: rssOf(child), readBytes: readBytesOf(child) };
      }
      if (status !== 0) throw new Error(`${target.name}: ${call.method} ${call.path} answered ${status}, expected ${call.expect}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
}

interface Warm {
  readonly port: number;
  metrics(): Promise<string>;
  stop(): void;
}

/** A long-lived function process, for the untimed work around the cold starts. */
async function startWarm(name: FunctionName, env: NodeJS.ProcessEnv): Promise<Warm> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(DIST, 'functions', `${name}.mjs`)], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const deadline = performance.now() + READY_DEADLINE_MS;
  while ((await send(port, { method: 'GET', path: '/readyz', expect: 200 }).catch(() => 0)) !== 200) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the warm ${name} function did not become ready`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    port,
    metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
    stop: () => void child.kill('SIGKILL'),
  };
}

interface Floor {
  readonly bundle: string;
  readonly startupBytes: number;
  /** A compile cache of the floor's own, filled like the functions' (one start, one answer, a clean exit). */
  readonly compileCache: string;
}

async function buildFloor(compileCache: string): Promise<Floor> {
  const outdir = join('.cache', 'bench');
  const result = await build({ ...bundleOptions, absWorkingDir: ROOT, entryPoints: [{ in: 'test/bench/hello-world.ts', out: 'hello-world' }], outdir });
  const file = join(outdir, 'hello-world.mjs');
  const floor = { bundle: join(ROOT, file), startupBytes: startupBytes(result.metafile.outputs, file), compileCache };
  await fillCompileCache(floor);
  return floor;
}

async function fillCompileCache(floor: Floor): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [floor.bundle], { env: { ...process.env, NODE_COMPILE_CACHE: floor.compileCache, PORT: String(port) }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = performance.now() + READY_DEADLINE_MS;
  while ((await send(port, { method: 'GET', path: '/hello', expect: 200 }).catch(() => 0)) !== 200) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the hello-world floor did not answer while filling its compile cache');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGTERM');
  await exited;
}

function targetsFor(seed: (id: string) => Promise<void>, floor: Floor): Target[] {
  const outputs = builtOutputs();
  const documents = `/v1/collections/${COLLECTION}/documents`;
  // `variant` tells the delete targets apart: each removes a document of its own.
  const calls = (variant: string): Record<FunctionName, Pick<Target, 'call' | 'prepare'>> => ({
    create: { call: () => ({ method: 'POST', path: documents, body: { data: { n: 1 } }, expect: 201 }) },
    get: { call: () => ({ method: 'GET', path: `${documents}/seeded`, expect: 200 }) },
    update: { call: (run) => ({ method: 'PUT', path: `${documents}/seeded`, body: { data: { n: run } }, expect: 200 }) },
    delete: {
      call: (run) => ({ method: 'DELETE', path: `${documents}/doomed-${process.pid}-${variant}${run}`, expect: 204 }),
      prepare: (run) => seed(`doomed-${process.pid}-${variant}${run}`),
    },
    query: { call: () => ({ method: 'POST', path: `/v1/collections/${COLLECTION}/query`, body: { filter: { n: { $gte: 0 } }, limit: 10 }, expect: 200 }) },
    indexes: { call: () => ({ method: 'GET', path: `/v1/collections/${COLLECTION}/indexes`, expect: 200 }) },
  });
  const hello = { bundle: floor.bundle, startupBytes: floor.startupBytes, call: () => ({ method: 'GET', path: '/hello', expect: 200 }) };
  const functions = (variant: string, suffix: string, env: NodeJS.ProcessEnv) =>
    FUNCTION_NAMES.map((name) => ({
      name: `${name}${suffix}`,
      bundle: join(DIST, 'functions', `${name}.mjs`),
      nodeFlags: functionNodeFlags(name),
      startupBytes: startupBytes(outputs, `dist/functions/${name}.mjs`),
      env,
      ...calls(variant)[name],
    }));
  return [
    { name: FLOOR, ...hello },
    { name: `${FLOOR} + compile cache`, ...hello, env: { NODE_COMPILE_CACHE: floor.compileCache } },
    ...functions('', '', {}),
    ...functions('uncached-', ' (no compile cache)', { NODE_DISABLE_COMPILE_CACHE: '1' }),
  ];
}

const FLOOR = 'hello-world';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function table(targets: readonly Target[], samples: Map<string, Sample[]>): string {
  const summary = targets.map((target) => {
    const list = samples.get(target.name)!;
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    const cpu = list.map((s) => s.cpuMs).sort((a, b) => a - b);
    const rss = list.map((s) => s.rssBytes).sort((a, b) => a - b);
    const read = list.map((s) => s.readBytes).sort((a, b) => a - b);
    return { target, p50: percentile(ms, 50), p95: percentile(ms, 95), cpu: percentile(cpu, 50), rss: percentile(rss, 50), read: percentile(read, 50), bytes: target.startupBytes };
  });
  const [floor, cachedFloor] = summary as [(typeof summary)[0], (typeof summary)[0]];
  const rows = summary.map(({ target, p50, p95, cpu, rss, read, bytes }) => {
    const ratio = p50 / floor.p50;
    const isFloor = target.name.startsWith(FLOOR);
    const verdict = isFloor ? 'floor' : ratio <= FLOOR_RATIO && bytes <= MAX_BUNDLE_BYTES ? 'ok' : 'MISS';
    const cells = [target.name, p50.toFixed(0), p95.toFixed(0), `${ratio.toFixed(2)}×`, `${(p50 / cachedFloor.p50).toFixed(2)}×`, cpu.toFixed(0)];
    const ratios = [`${(cpu / floor.cpu).toFixed(2)}×`, `${(cpu / cachedFloor.cpu).toFixed(2)}×`];
    return `| ${[...cells, ...ratios, `${(bytes / 1024).toFixed(0)} KiB`, `${(read / 1024).toFixed(0)} KiB`, `${(rss / 2 ** 20).toFixed(1)} MiB`, verdict].join(' | ')} |`;
  });
  return [
    '| bundle | p50 ms | p95 ms | p50 / floor | p50 / floor + cache | CPU ms (p50) | CPU / floor | CPU / floor + cache | bundle read at start | read() until 1st answer | RSS after 1st answer | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}

async function benchStore(store: Store, floor: Floor): Promise<void> {
  const seeder = await startWarm('create', store.env);
  const reader = await startWarm('get', store.env);
  try {
    const seed = async (id: string) => {
      const status = await send(seeder.port, { method: 'POST', path: `/v1/collections/${COLLECTION}/documents`, body: { id, data: { n: 1 } }, expect: 201 });
      if (status !== 201 && status !== 409) throw new Error(`seeding ${id} answered ${status}`);
    };
    await seed('seeded');
    // Two reads: a miss then a hit when a cache is wired; either way the store's kind shows in the labels.
    for (let i = 0; i < 2; i++) await send(reader.port, { method: 'GET', path: `/v1/collections/${COLLECTION}/documents/seeded`, expect: 200 });
    if (!store.proof.test(await reader.metrics())) {
      console.log(`\n### ${store.label}\n\nSkipped: the functions of this build do not use it (no ${store.proof} in /metrics).`);
      return;
    }
    const targets = targetsFor(seed, floor);
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const target of targets) {
        await target.prepare?.(run);
        samples.get(target.name)!.push(await coldStart(target, run, store.env));
      }
      process.stderr.write(`\r${store.label}: run ${run}/${RUNS}`);
    }
    process.stderr.write('\n');
    console.log(`\n### ${store.label} — ${RUNS} cold starts per bundle, spawn → first successful answer\n`);
    console.log(table(targets, samples));
  } finally {
    seeder.stop();
    reader.stop();
  }
}

const data = tempDir('dbsvc-cold');
const floorCache = tempDir('dbsvc-floor-cache');
try {
  const floor = await buildFloor(floorCache.path);
  const stores: Store[] = [{ label: 'SQLite', env: { STORE: 'sqlite', DATA_DIR: data.path }, proof: /db_operations_total\{[^}]*store="sqlite"/ }];
  if (process.env.MONGODB_URI) {
    stores.push({ label: 'MongoDB', env: { STORE: 'mongodb', MONGODB_URI: process.env.MONGODB_URI }, proof: /db_operations_total\{[^}]*store="mongodb"/ });
  }
  if (process.env.REDIS_URL) {
    stores.push({ label: 'SQLite + Redis cache', env: { STORE: 'sqlite', DATA_DIR: data.path, REDIS_URL: process.env.REDIS_URL }, proof: /^cache_(hits|misses)_total\{[^}]*\} [1-9]/m });
  }
  console.log(`Cold starts on Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine adds noise).`);
  console.log(`Targets: p50 ≤ ${FLOOR_RATIO}× the hello-world floor (without a compile cache), ≤ ${MAX_BUNDLE_BYTES / 1024} KiB of bundle read at start.`);
  for (const store of stores) await benchStore(store, floor);
  console.log(`\nLoad average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  data.remove();
  floorCache.remove();
}

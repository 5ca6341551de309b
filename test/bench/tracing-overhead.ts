/**
 * The cost of tracing on `get` throughput: `dist/functions/get.mjs` processes over one SQLite file, untraced,
 * traced with every span exported over OTLP/HTTP to a sink on loopback, and traced with 10% of traces sampled,
 * loaded in alternating rounds by autocannon (bounded in time and connections) so machine noise hits all alike.
 * Besides requests per second it reports the function process's CPU time per request (Linux /proc), which a
 * busy shared machine distorts far less. Prints figures; asserts nothing.
 *
 *   npm run bench:tracing            ROUNDS=3 SECONDS=5 CONNECTIONS=10 to change the load
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { request } from '../support/http.js';
import { tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Math.min(Number(process.env.SECONDS ?? 5), 30);
const CONNECTIONS = Math.min(Number(process.env.CONNECTIONS ?? 10), 100);

// A collector stand-in that accepts each export and drops it, so span decoding costs this process nothing.
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;

const data = tempDir('dbsvc-bench-tracing');
const create = await startFunction('create', { DATA_DIR: data.path });
const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_BSP_SCHEDULE_DELAY: '1000' };
const variants = {
  'off': await startFunction('get', { DATA_DIR: data.path }),
  'on, all sampled': await startFunction('get', { DATA_DIR: data.path, ...traced }),
  'on, 10% sampled': await startFunction('get', { DATA_DIR: data.path, ...traced, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
};
type Variant = keyof typeof variants;
const names = Object.keys(variants) as Variant[];
const results = Object.fromEntries(names.map((n) => [n, [] as Array<{ rps: number; p99: number; cpuUs: number }>])) as Record<
  Variant,
  Array<{ rps: number; p99: number; cpuUs: number }>
>;

/** User + system CPU seconds the process has used so far (all its threads), from /proc; NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

try {
  const created = await request(create.url, 'POST', '/v1/collections/bench/documents', { json: { id: 'doc', data: { name: 'Ada', tags: ['a', 'b'], n: 42 } } });
  if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${created.text}`);
  await create.process.stop();
  // Warm-up, not counted: the first seconds of load run before V8 has optimised the hot paths.
  for (const name of names) await autocannon({ url: `${variants[name].url}/v1/collections/bench/documents/doc`, connections: CONNECTIONS, duration: 2 });
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const pid = variants[name].process.child.pid!;
      const cpuBefore = cpuSeconds(pid);
      const run = await autocannon({
        url: `${variants[name].url}/v1/collections/bench/documents/doc`,
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      if (run.non2xx || run.errors) throw new Error(`${name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
      const cpuUs = ((cpuSeconds(pid) - cpuBefore) / run.requests.total) * 1e6;
      results[name].push({ rps: run.requests.average, p99: run.latency.p99, cpuUs });
      console.log(
        `round ${round + 1} tracing ${name.padEnd(16)} ${run.requests.average.toFixed(0).padStart(6)} req/s  p99 ${run.latency.p99} ms  CPU ${cpuUs.toFixed(0)} µs/request`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const summary = (name: Variant) => ({
    rps: median(results[name].map((r) => r.rps)),
    p99: median(results[name].map((r) => r.p99)),
    cpuUs: median(results[name].map((r) => r.cpuUs)),
  });
  const off = summary('off');
  console.log(`\nget, median of ${ROUNDS} rounds of ${SECONDS}s at ${CONNECTIONS} connections:`);
  for (const name of names) {
    const { rps, p99, cpuUs } = summary(name);
    const vs = name === 'off' ? '' : `  (${(((rps - off.rps) / off.rps) * 100).toFixed(1)}% req/s, ${(((cpuUs - off.cpuUs) / off.cpuUs) * 100).toFixed(1)}% CPU/request vs off)`;
    console.log(`  tracing ${name.padEnd(16)} ${rps.toFixed(0).padStart(6)} req/s  p99 ${p99} ms  CPU ${cpuUs.toFixed(0)} µs/request${vs}`);
  }
} finally {
  await Promise.all([create.process.stop(), ...names.map((name) => variants[name].process.stop())]);
  sink.close();
  data.remove();
}

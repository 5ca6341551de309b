/**
 * The front doors side by side: one document read straight from the get function over REST, through the
 * gateway (dist/gateway.mjs, the forwarder `npm start` serves too) and through the gRPC sidecar, in the same
 * run, in alternating rounds so machine noise hits every path alike. Closed loop: each of C workers keeps one
 * call in flight on warm keep-alive connections (undici Pool of C connections, one grpc-js channel).
 * Reported: calls per second, p50 and p99 per path and connection count, and each path's ratio to direct.
 *
 * Environment: FRONT_DOOR_SECONDS (per round and path, default 3), FRONT_DOOR_ROUNDS (default 3),
 * FRONT_DOOR_CONNECTIONS (default "1,32"), FRONT_DOOR_CPU_PROF (a directory: the gateway and the sidecar run
 * with --cpu-prof there; read them with test/bench/cpu-profile.ts). Bounded: rounds × paths × counts × seconds.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { DocumentServiceApi } from '../support/grpc.js';
import { request } from '../support/http.js';
import { DIST, freePort, type Spawned, spawnNode, tempDir, waitUntilReady } from '../support/processes.js';
import { startSidecar } from '../support/sidecar.js';
import { startFunction } from '../support/stack.js';

const SECONDS = Number(process.env.FRONT_DOOR_SECONDS || 3);
const ROUNDS = Number(process.env.FRONT_DOOR_ROUNDS || 3);
const CONNECTIONS = (process.env.FRONT_DOOR_CONNECTIONS || '1,32').split(',').map(Number);
const PROFILE = process.env.FRONT_DOOR_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FRONT_DOOR_CPU_PROF}`] : [];
const PATH = '/v1/collections/bench/documents/doc';

type Call = () => Promise<void>;
interface Door {
  readonly name: string;
  open(connections: number): { call: Call; close: () => Promise<void> };
}

function restDoor(name: string, base: string): Door {
  return {
    name,
    open(connections) {
      const pool = new Pool(base, { connections, keepAliveTimeout: 30_000 });
      return {
        call: async () => {
          const response = await pool.request({ method: 'GET', path: PATH });
          await response.body.text();
          if (response.statusCode !== 200) throw new Error(`${name}: HTTP ${response.statusCode}`);
        },
        close: () => pool.close(),
      };
    },
  };
}

function grpcDoor(name: string, address: string): Door {
  return {
    name,
    open() {
      const api = new DocumentServiceApi(address);
      return {
        call: async () => {
          await api.get({ collection: 'bench', id: 'doc' });
        },
        close: async () => api.close(),
      };
    },
  };
}

/** C workers, each one call at a time, for `seconds`; every latency kept. */
async function measure(call: Call, connections: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await call();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

/** The port a child reports with `listening on <port>`, read from its output as it comes. */
function printedPort(child: Spawned): Promise<number> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = /listening on (\d+)/.exec(child.output());
      if (match) {
        child.child.stdout!.off('data', look);
        resolve(Number(match[1]));
      }
    };
    child.child.stdout!.on('data', look);
    void child.exited.then(() => reject(new Error(`the gRPC ceiling server exited:\n${child.output()}`)));
    look();
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const data = tempDir('dbsvc-bench-front-door');
const create = await startFunction('create', { DATA_DIR: data.path });
const get = await startFunction('get', { DATA_DIR: data.path });
const nobody = `http://127.0.0.1:${await freePort()}`;
const urls = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [FUNCTION_URL_VARIABLES[name], name === 'get' ? get.url : name === 'create' ? create.url : nobody]),
);
const gatewayPort = await freePort();
const gateway = spawnNode(join(DIST, 'gateway.mjs'), { PORT: String(gatewayPort), LOG_LEVEL: 'warn', ...urls }, PROFILE);
const sidecar = await startSidecar({ create: create.url, get: get.url }, {}, PROFILE);
const ceiling = spawnNode(fileURLToPath(new URL('grpc-ceiling.ts', import.meta.url)), {}, ['--import', 'tsx']);
try {
  const ceilingPort = await printedPort(ceiling);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  await waitUntilReady(`${gatewayUrl}/healthz`, gateway);
  const created = await request(create.url, 'POST', '/v1/collections/bench/documents', { json: { id: 'doc', data: { name: 'Ada', tags: ['math', 'poetry'], n: 36 } } });
  if (created.status !== 201) throw new Error(`setup failed: ${created.status} ${created.text}`);

  const doors = [
    restDoor('REST → get', get.url),
    restDoor('REST → gateway → get', gatewayUrl),
    grpcDoor('gRPC → sidecar → get', sidecar.address),
    grpcDoor('gRPC → bare server', `127.0.0.1:${ceilingPort}`),
  ];
  const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`\nFront doors, GET one document (${ROUNDS} rounds × ${SECONDS} s per path; load average before: ${load()})`);
  for (const connections of CONNECTIONS) {
    const samples = new Map<string, { latencies: number[]; seconds: number }>(doors.map((d) => [d.name, { latencies: [], seconds: 0 }]));
    const opened = doors.map((door) => ({ door, ...door.open(connections) }));
    try {
      for (const { call } of opened) await measure(call, connections, 0.5);
      for (let round = 0; round < ROUNDS; round++) {
        for (const { door, call } of opened) {
          const sample = samples.get(door.name)!;
          // Appended one by one: a spread passes every latency as an argument, past the stack's limit on a fast path.
          for (const latency of await measure(call, connections, SECONDS)) sample.latencies.push(latency);
          sample.seconds += SECONDS;
        }
      }
    } finally {
      await Promise.all(opened.map(({ close }) => close()));
    }
    const rate = (name: string) => samples.get(name)!.latencies.length / samples.get(name)!.seconds;
    const p50Direct = quantile([...samples.get(doors[0]!.name)!.latencies].sort((a, b) => a - b), 0.5);
    console.log(`\n${connections} connection(s)`);
    console.log(`${'path'.padEnd(24)}${'calls/s'.padStart(10)}${'× direct'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'p50 added'.padStart(11)}`);
    for (const door of doors) {
      const sorted = [...samples.get(door.name)!.latencies].sort((a, b) => a - b);
      const p50 = quantile(sorted, 0.5);
      console.log(
        `${door.name.padEnd(24)}${rate(door.name).toFixed(0).padStart(10)}${(rate(door.name) / rate(doors[0]!.name)).toFixed(2).padStart(10)}` +
          `${p50.toFixed(3).padStart(9)}${quantile(sorted, 0.99).toFixed(3).padStart(9)}${(p50 - p50Direct).toFixed(3).padStart(11)}`,
      );
    }
    console.log(`sidecar ÷ bare gRPC server (its ceiling): ${(rate(doors[2]!.name) / rate(doors[3]!.name)).toFixed(2)}× calls/s`);
  }
  console.log(`\nload average after: ${load()}`);
} finally {
  await Promise.all([gateway.stop(), sidecar.process.stop(), ceiling.stop(), create.process.stop(), get.process.stop()]);
  data.remove();
}

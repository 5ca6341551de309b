// The sidecar's added latency: the same document read N times over gRPC (client → sidecar → get function)
// and N times over HTTP straight to the get function, in alternating blocks of the same run so machine noise
// hits both alike. Sequential calls on warm keep-alive connections; bounded in count and in time.
// Usage: npm run bench:grpc [-- <calls per path, default 2000>]
import { Pool } from 'undici';
import { DocumentServiceApi } from '../support/grpc.js';
import { request } from '../support/http.js';
import { tempDir } from '../support/processes.js';
import { startSidecar } from '../support/sidecar.js';
import { startFunction } from '../support/stack.js';

const CALLS = Number(process.argv[2] ?? 2000);
const WARMUP = 200;
const BLOCK = 100;
const TIME_LIMIT_MS = 180_000;

const data = tempDir('dbsvc-bench-grpc');
const create = await startFunction('create', { DATA_DIR: data.path });
const get = await startFunction('get', { DATA_DIR: data.path });
const sidecar = await startSidecar({ create: create.url, get: get.url });
const api = new DocumentServiceApi(sidecar.address);
const http = new Pool(get.url, { keepAliveTimeout: 4_000 });

try {
  const created = await request(create.url, 'POST', '/v1/collections/bench/documents', { json: { id: 'doc', data: { name: 'Ada', tags: ['math', 'poetry'], n: 36 } } });
  if (created.status !== 201) throw new Error(`setup failed: ${created.status} ${created.text}`);

  const viaGrpc = async () => {
    await api.get({ collection: 'bench', id: 'doc' });
  };
  const viaHttp = async () => {
    const response = await http.request({ method: 'GET', path: '/v1/collections/bench/documents/doc' });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
  };

  for (let i = 0; i < WARMUP; i++) {
    await viaGrpc();
    await viaHttp();
  }

  const samples = { grpc: [] as number[], http: [] as number[] };
  const started = performance.now();
  while (samples.grpc.length < CALLS && performance.now() - started < TIME_LIMIT_MS) {
    for (const [name, call] of [['grpc', viaGrpc], ['http', viaHttp]] as const) {
      for (let i = 0; i < BLOCK && samples[name].length < CALLS; i++) {
        const t0 = performance.now();
        await call();
        samples[name].push(performance.now() - t0);
      }
    }
  }

  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
  };
  const grpc = stats(samples.grpc);
  const direct = stats(samples.http);
  const ms = (value: number) => `${value.toFixed(3).padStart(8)} ms`;
  console.log(`\nGetDocument, sequential, warm connections (${grpc.n} gRPC + ${direct.n} HTTP calls, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${'path'.padEnd(34)}${'p50'.padStart(11)}${'p90'.padStart(11)}${'p99'.padStart(11)}${'mean'.padStart(11)}`);
  console.log(`${'gRPC → sidecar → get function'.padEnd(34)}${ms(grpc.p50)}${ms(grpc.p90)}${ms(grpc.p99)}${ms(grpc.mean)}`);
  console.log(`${'HTTP → get function'.padEnd(34)}${ms(direct.p50)}${ms(direct.p90)}${ms(direct.p99)}${ms(direct.mean)}`);
  console.log(`${'added by the sidecar'.padEnd(34)}${ms(grpc.p50 - direct.p50)}${ms(grpc.p90 - direct.p90)}${ms(grpc.p99 - direct.p99)}${ms(grpc.mean - direct.mean)}`);
} finally {
  api.close();
  await http.close();
  await Promise.all([sidecar.process.stop(), create.process.stop(), get.process.stop()]);
  data.remove();
}

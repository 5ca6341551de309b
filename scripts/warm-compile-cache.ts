/**
 * Fills dist/compile-cache: starts each function bundle once on a scratch SQLite directory, sends it the
 * request it exists for, and stops it; Node writes the code V8 compiled on the way (the start and the first
 * answer) when the process exits. `npm run build` runs it, and so does the image with its own Node (a cache is
 * only used by the Node version that wrote it). Built to dist/warm-compile-cache.mjs.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NAMES, type FunctionName } from '../shared/runtime/http/routes.js';
import { compileCacheDir } from '../shared/runtime/startup/compile-cache.js';
import { listeningPorts } from '../shared/runtime/startup/listening-report.js';
import { functionNodeFlags } from '../shared/runtime/startup/node-flags.js';

const READY_DEADLINE_MS = 30_000;
const DOCUMENT = '/v1/collections/warmup/documents/warm';

/** Each function's first request; the create comes first, so the others find the document. */
const FIRST_REQUEST: Record<FunctionName, { method: string; path: string; body?: unknown; expect: number }> = {
  create: { method: 'POST', path: '/v1/collections/warmup/documents', body: { id: 'warm', data: { n: 1 } }, expect: 201 },
  get: { method: 'GET', path: DOCUMENT, expect: 200 },
  update: { method: 'PUT', path: DOCUMENT, body: { data: { n: 2 } }, expect: 200 },
  query: { method: 'POST', path: '/v1/collections/warmup/query', body: { filter: { n: { $gte: 0 } }, limit: 10 }, expect: 200 },
  indexes: { method: 'GET', path: '/v1/collections/warmup/indexes', expect: 200 },
  delete: { method: 'DELETE', path: DOCUMENT, expect: 204 },
};

function send(port: number, call: (typeof FIRST_REQUEST)[FunctionName]): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request({ host: '127.0.0.1', port, method: call.method, path: call.path, agent: false, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function warm(name: FunctionName, dataDir: string): Promise<void> {
  // Port 0: the kernel picks a free port as the function binds it, and the function reports it over IPC.
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STORE: 'sqlite', LOG_LEVEL: 'error', SHUTDOWN_ACCEPT_MS: '0' };
  // With the flags the function runs with everywhere: Node files a compile cache under the V8 flags that wrote
  // it, and a process started with other flags finds none of it.
  const bundle = fileURLToPath(new URL(`./functions/${name}.mjs`, import.meta.url));
  const child = spawn(process.execPath, [...functionNodeFlags(name), bundle], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const { http: port } = await listeningPorts(child, name, READY_DEADLINE_MS);
    const call = FIRST_REQUEST[name];
    const status = await send(port!, call);
    if (status !== call.expect) throw new Error(`${name}: ${call.method} ${call.path} answered ${status}`);
  } finally {
    // A graceful stop: Node writes the cache as the process exits.
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Node writes cache files readable by their owner only; the image copies the cache in owned by root, so it is
 * made readable by every uid (the functions' included) and writable by none but its owner.
 */
function makeReadable(directory: string): void {
  chmodSync(directory, 0o755);
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) makeReadable(path);
    else chmodSync(path, 0o644);
  }
}

const cache = compileCacheDir(new URL('./functions/', import.meta.url).href);
rmSync(cache, { recursive: true, force: true });
mkdirSync(cache, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'dbsvc-warm-'));
try {
  for (const name of FUNCTION_NAMES) await warm(name, dataDir);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
makeReadable(cache);

// `npm run mongodb [-- --port <n>]`: a local MongoDB-wire server in the foreground for MONGODB_URI. FerretDB
// (built once by scripts/ferretdb.sh), its SQLite backend under DATA_DIR/ferretdb (default ./data/ferretdb),
// on loopback, on the given port or a free one. Prints `MONGODB_URI=mongodb://127.0.0.1:<port>/` once it
// accepts connections; Ctrl-C (or SIGTERM) stops it and exits 0.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../gateway/free-port.js';
import { ferretDbBinary, ferretDbFlags } from './ferretdb-run.js';

const READY_TIMEOUT_MS = 30_000;
const RETRY_MS = 50;

function fail(message: string, code = 1): never {
  process.stderr.write(`mongodb: ${message}\n`);
  process.exit(code);
}

let options;
try {
  options = parseArgs({ options: { port: { type: 'string' } } }).values;
} catch (error) {
  fail(`${(error as Error).message}\nusage: npm run mongodb [-- --port <1-65535>]`, 2);
}
const port = options.port === undefined ? await freePort() : Number(options.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`--port must be an integer from 1 to 65535, got '${options.port}'`, 2);
// Checked first: readiness is seen as the port accepting connections, which another server there would fake.
await new Promise<void>((free) => {
  const probe = createServer().once('error', (error) => fail(`cannot listen on 127.0.0.1:${port}: ${error.message}`));
  probe.listen(port, '127.0.0.1', () => probe.close(() => free()));
});

const dataDir = resolve(process.env.DATA_DIR || 'data', 'ferretdb');
mkdirSync(dataDir, { recursive: true });
const server = spawn(ferretDbBinary(), ferretDbFlags(dataDir, port), { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    // A terminal's Ctrl-C has already reached FerretDB (same process group); a SIGTERM to this process alone has not.
    server.kill('SIGTERM');
  });
}
server.on('error', (error) => fail(`cannot run FerretDB: ${error.message}`));
server.on('exit', (code, signal) => {
  if (stopping) {
    process.stderr.write('mongodb: stopped\n');
    process.exit(0);
  }
  fail(`FerretDB exited (${signal ?? `code ${code}`}) before it was stopped`);
});

/** Whether something accepts connections on the port now. */
function accepting(): Promise<boolean> {
  return new Promise((resolveAccepting) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolveAccepting(true);
    });
    socket.on('error', () => resolveAccepting(false));
  });
}

const deadline = Date.now() + READY_TIMEOUT_MS;
while (!(await accepting())) {
  if (server.exitCode !== null || stopping) break;
  if (Date.now() > deadline) {
    server.kill('SIGKILL');
    fail(`FerretDB did not accept connections on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s (data: ${dataDir})`);
  }
  await new Promise((wait) => setTimeout(wait, RETRY_MS));
}
if (!stopping && server.exitCode === null) {
  process.stdout.write(`FerretDB (SQLite backend, data in ${dataDir}) on 127.0.0.1:${port}; Ctrl-C stops it.\n`);
  process.stdout.write(`MONGODB_URI=mongodb://127.0.0.1:${port}/\n`);
}

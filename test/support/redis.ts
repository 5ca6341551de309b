import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import { freePort, ROOT } from './processes.js';

/** The shared Redis the tests use: REDIS_URL, else the one on the default port of this machine. */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const PROBE = `
const { Redis } = require('ioredis');
const client = new Redis(process.argv[1], { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
client.connect().then(() => client.ping()).then(() => process.exit(0), () => process.exit(1));
`;

/**
 * Whether a test file may register tests that need `what`. Synchronous, because uvu loads test files with
 * require() and a file decides at load which tests it has. With CI=true a missing server is a failing
 * test, never a skip; without CI the file says why it skips.
 */
export function requireServer(what: string, available: () => boolean): boolean {
  if (available()) return true;
  if (process.env.CI === 'true') {
    test(`${what} is reachable (required with CI=true)`, () => {
      throw new Error(`${what} is not reachable; CI=true requires it`);
    });
    test.run();
  } else {
    console.log(`skipping tests that need ${what}: not reachable (set CI=true to make this a failure)`);
  }
  return false;
}

/** Pings `url` from a child process (a blocking check usable at load time). */
export function redisReachable(url = TEST_REDIS_URL): boolean {
  return spawnSync(process.execPath, ['-e', PROBE, url], { cwd: ROOT, timeout: 5000 }).status === 0;
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { timeout: 5000 }).status === 0;
}

const servers = new Set<ChildProcess>();
process.on('exit', () => {
  for (const server of servers) server.kill('SIGKILL');
});

/** A redis-server of the test's own, on a free port, that the test may kill and start again. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: the server vanishes as in a crash, with its data (no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    servers.add(server);
    server.once('exit', () => servers.delete(server));
    child = server;
    await waitForRedis(url, server);
  };
  const kill = async () => {
    const server = child;
    child = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };
  await launch();
  return { url, port, kill, restart: launch, stop: kill };
}

async function waitForRedis(url: string, server: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode} before answering`);
    const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server at ${url} did not answer within ${timeoutMs} ms`);
}

/** A plain client for looking at what the service put in Redis. */
export function inspector(url = TEST_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

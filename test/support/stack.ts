import { join } from 'node:path';
import { DIST, notReady, reportedPorts, spawnNode, tempDir, waitUntilReady, type Spawned, type SpawnOptions } from './processes.js';

/**
 * The whole local stack (`dist/local-stack.mjs`) as a child process. Its gateway and sidecar listen on ports the
 * kernel picks (PORT=0, GRPC_PORT=0), read from the banner it prints once ready: a port picked free here could
 * be taken by another process on the machine before the stack binds it.
 */
export interface Stack {
  readonly url: string;
  readonly port: number;
  /** The gRPC sidecar, `host:port`. */
  readonly grpcAddress: string;
  readonly dataDir: string;
  readonly process: Spawned;
  stop(): Promise<void>;
}

export async function startStack(env: NodeJS.ProcessEnv = {}, dataDir?: string, options: SpawnOptions = {}): Promise<Stack & { removeData: () => void }> {
  const dir = dataDir ? { path: dataDir, remove: () => undefined } : tempDir('dbsvc-stack');
  const process = spawnNode(join(DIST, 'local-stack.mjs'), { PORT: '0', GRPC_PORT: '0', DATA_DIR: dir.path, LOG_LEVEL: 'warn', ...env }, [], options);
  let banner;
  try {
    banner = await bannerPorts(process);
    await waitUntilReady(`http://127.0.0.1:${banner.port}/readyz`, process);
  } catch (error) {
    await process.stop();
    dir.remove();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${banner.port}`,
    port: banner.port,
    grpcAddress: `127.0.0.1:${banner.grpcPort}`,
    dataDir: dir.path,
    process,
    stop: async () => {
      await process.stop();
    },
    removeData: dir.remove,
  };
}

/** The REST and gRPC ports in the banner the stack prints once it is ready (`  REST API   http://…:8080/…`). */
async function bannerPorts(process: Spawned, timeoutMs = 60_000): Promise<{ port: number; grpcPort: number }> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.exited.then(() => (exited = true));
  for (;;) {
    const output = process.output();
    const rest = /^ +REST API +http:\/\/\S+?:(\d+)\//m.exec(output);
    const grpc = /^ +gRPC +\S+?:(\d+) /m.exec(output);
    if (rest && grpc) return { port: Number(rest[1]), grpcPort: Number(grpc[1]) };
    if (exited) throw notReady(`the local stack exited before it was ready:\n${output}`);
    if (Date.now() > deadline) throw notReady(`the local stack printed no banner within ${timeoutMs} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * One function bundle alone, as `PORT=… node dist/functions/<op>.mjs`: on `port` when given (a restart), else on
 * the port the kernel picks, which it reports over IPC.
 */
export async function startFunction(op: string, env: NodeJS.ProcessEnv, port = 0): Promise<{ url: string; port: number; process: Spawned }> {
  const process = spawnNode(join(DIST, 'functions', `${op}.mjs`), { PORT: String(port), LOG_LEVEL: 'warn', ...env }, [], { ipc: true });
  try {
    const { http } = await reportedPorts(process, `function '${op}'`);
    const url = `http://127.0.0.1:${http}`;
    await waitUntilReady(`${url}/healthz`, process);
    return { url, port: http!, process };
  } catch (error) {
    await process.stop();
    throw error;
  }
}

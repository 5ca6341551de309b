import { join } from 'node:path';
import { DIST, freePort, spawnNode, tempDir, waitUntilReady, type Spawned, type SpawnOptions } from './processes.js';

/** The whole local stack (`dist/local-stack.mjs`) as a child process on free ports (REST and gRPC). */
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
  const port = await freePort();
  const grpcPort = await freePort();
  const process = spawnNode(join(DIST, 'local-stack.mjs'), { PORT: String(port), GRPC_PORT: String(grpcPort), DATA_DIR: dir.path, LOG_LEVEL: 'warn', ...env }, [], options);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}/readyz`, process);
  } catch (error) {
    await process.stop();
    dir.remove();
    throw error;
  }
  return {
    url,
    port,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    dataDir: dir.path,
    process,
    stop: async () => {
      await process.stop();
    },
    removeData: dir.remove,
  };
}

/** One function bundle alone, as `PORT=… node dist/functions/<op>.mjs` (on `port` when given, e.g. a restart). */
export async function startFunction(op: string, env: NodeJS.ProcessEnv, port?: number): Promise<{ url: string; port: number; process: Spawned }> {
  port ??= await freePort();
  const process = spawnNode(join(DIST, 'functions', `${op}.mjs`), { PORT: String(port), LOG_LEVEL: 'warn', ...env });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}/healthz`, process);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { url, port, process };
}

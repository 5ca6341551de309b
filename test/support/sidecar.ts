import { join } from 'node:path';
import { HealthClient } from '../../grpc-sidecar/health-client.js';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/runtime/http/routes.js';
import { DIST, freePort, notReady, reportedPorts, spawnNode, type Spawned } from './processes.js';

export interface StartedSidecar {
  readonly address: string;
  readonly process: Spawned;
}

/**
 * `dist/grpc-sidecar.mjs` alone on a port the kernel picks (reported over IPC), pointed at the given function
 * URLs (a function left out points at a port nobody listens on). Resolves once it answers gRPC health checks,
 * whatever their status.
 */
export async function startSidecar(urls: Partial<Record<FunctionName, string>>, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<StartedSidecar> {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const variables = Object.fromEntries(FUNCTION_NAMES.map((name) => [FUNCTION_URL_VARIABLES[name], urls[name] ?? nobody]));
  // Both ports picked by the kernel unless the test names them: the default 9464 may be taken on a shared machine.
  const process = spawnNode(
    join(DIST, 'grpc-sidecar.mjs'),
    { GRPC_PORT: '0', GRPC_METRICS_PORT: '0', LOG_LEVEL: 'warn', ...variables, ...env },
    nodeArgs,
    { ipc: true },
  );
  let health: HealthClient | undefined;
  let dead = false;
  void process.exited.then(() => (dead = true));
  try {
    const address = `127.0.0.1:${(await reportedPorts(process, 'the sidecar')).grpc}`;
    health = new HealthClient(address);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (dead) throw notReady(`the sidecar exited before it answered:\n${process.output()}`);
      if (Date.now() > deadline) throw notReady(`the sidecar did not answer within 60 s:\n${process.output()}`);
      try {
        await health.check('', 1_000);
        return { address, process };
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  } catch (error) {
    await process.stop();
    throw error;
  } finally {
    health?.close();
  }
}

/** Polls the health service until `service` reports `wanted` (a state change the sidecar polls for). */
export async function waitForHealth(address: string, wanted: 'SERVING' | 'NOT_SERVING', service = ''): Promise<void> {
  const health = new HealthClient(address);
  try {
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      last = await health.check(service).catch((error: Error) => error.message);
      if (last === wanted) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`health of '${service}' stayed ${last}, never ${wanted}`);
  } finally {
    health.close();
  }
}

/** Resolves once the process has printed a line matching `pattern` (e.g. a log event the test waits for). */
export async function waitForOutput(process: Spawned, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pattern.test(process.output())) {
    if (Date.now() > deadline) throw new Error(`no output matching ${pattern}:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

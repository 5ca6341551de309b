import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FUNCTION_URL_VARIABLES } from '../shared/runtime/config/function-urls.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { HealthClient } from '../grpc-sidecar/health-client.js';
import { reachableHost } from './reachable-host.js';

export interface SidecarProcessOptions {
  readonly bundle: string;
  readonly port: number;
  /** Where it listens (HOST); it is reached, and shown, there unless that means every interface. */
  readonly host: string;
  /** Where it serves /metrics over HTTP. */
  readonly metricsPort: number;
  readonly functionUrls: Readonly<Record<FunctionName, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly onLine: (line: string) => void;
}

/**
 * The gRPC sidecar as a child process of the local stack, pointed at the fleet's functions. Ready means its
 * grpc.health.v1 check answers SERVING, which it does only while every function is ready.
 */
export class SidecarProcess {
  readonly address: string;
  readonly metricsUrl: string;
  readonly #health: HealthClient;
  #child: ChildProcess | undefined;
  #stopped = false;

  constructor(private readonly options: SidecarProcessOptions) {
    this.address = `${reachableHost(options.host)}:${options.port}`;
    this.metricsUrl = `http://127.0.0.1:${options.metricsPort}/metrics`;
    this.#health = new HealthClient(this.address);
  }

  /** Spawns the sidecar; resolves once it is SERVING, rejects if it exits first (its output says why). */
  async start(): Promise<void> {
    if (this.#stopped) throw new Error('the gRPC sidecar was not started: the stack is stopping');
    const urls = Object.fromEntries(
      (Object.entries(FUNCTION_URL_VARIABLES) as Array<[FunctionName, string]>).map(([name, variable]) => [variable, this.options.functionUrls[name]]),
    );
    const child = spawn(process.execPath, [this.options.bundle], {
      env: { ...this.options.env, ...urls, GRPC_PORT: String(this.options.port), GRPC_METRICS_PORT: String(this.options.metricsPort) },
      // The IPC channel closes when this process dies however it dies, and the sidecar then drains and exits.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    createInterface({ input: child.stdout! }).on('line', this.options.onLine);
    createInterface({ input: child.stderr! }).on('line', this.options.onLine);
    while (child.exitCode === null && child.signalCode === null) {
      if ((await this.probe()) === 'ready') return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the gRPC sidecar exited before it was ready (exit code ${child.exitCode ?? child.signalCode})`);
  }

  async probe(): Promise<'ready' | 'not ready'> {
    try {
      return (await this.#health.check()) === 'SERVING' ? 'ready' : 'not ready';
    } catch {
      return 'not ready';
    }
  }

  /** SIGTERM (the sidecar drains its calls) and wait for it to exit. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#health.close();
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

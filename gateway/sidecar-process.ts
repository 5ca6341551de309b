import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FUNCTION_URL_VARIABLES } from '../shared/runtime/config/function-urls.js';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { HealthClient } from '../grpc-sidecar/health-client.js';
import { listeningPorts } from '../shared/runtime/startup/listening-report.js';
import { reachableHost } from './reachable-host.js';

export interface SidecarProcessOptions {
  readonly bundle: string;
  /** GRPC_PORT: 0 lets the kernel pick it. */
  readonly port: number;
  /** Where it listens (HOST); it is reached, and shown, there unless that means every interface. */
  readonly host: string;
  /** The functions' URLs, asked for when it starts. */
  readonly functionUrls: () => Readonly<Record<FunctionName, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly onLine: (line: string) => void;
  /** Told when the sidecar exits on its own (it is then started again). */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** How long after an exit of its own the sidecar is started again (as the function fleet restarts a function). */
const RESTART_DELAY_MS = 250;

/**
 * The gRPC sidecar as a child process of the local stack, pointed at the fleet's functions. It serves /metrics
 * on a port the kernel picks (see listening-report.ts). Ready means its grpc.health.v1 check answers SERVING,
 * which it does only while every function is ready. Once ready, a sidecar that dies is started again on the
 * same gRPC port (like a pod restart), so the address the banner printed stays valid.
 */
export class SidecarProcess {
  #address: string | undefined;
  #metricsUrl: string | undefined;
  #health: HealthClient | undefined;
  #child: ChildProcess | undefined;
  /** The gRPC port the first start listened on, kept by every later start. */
  #grpcPort: number | undefined;
  #stopped = false;

  constructor(private readonly options: SidecarProcessOptions) {}

  /** `host:port` of its gRPC server, once started. */
  get address(): string | undefined {
    return this.#address;
  }

  /** Where its Prometheus text answers, once started. */
  get metricsUrl(): string | undefined {
    return this.#metricsUrl;
  }

  /** Spawns the sidecar; resolves once it is SERVING, rejects if it exits first (its output says why). */
  async start(): Promise<void> {
    if (this.#stopped) throw new Error('the gRPC sidecar was not started: the stack is stopping');
    const functionUrls = this.options.functionUrls();
    const urls = Object.fromEntries(
      (Object.entries(FUNCTION_URL_VARIABLES) as Array<[FunctionName, string]>).map(([name, variable]) => [variable, functionUrls[name]]),
    );
    const port = this.#grpcPort ?? this.options.port;
    const child = spawn(process.execPath, [this.options.bundle], {
      env: { ...this.options.env, ...urls, GRPC_PORT: String(port), GRPC_METRICS_PORT: '0' },
      // The IPC channel carries its ports, and it closes when this process dies however it dies: the sidecar
      // then drains and exits.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    createInterface({ input: child.stdout! }).on('line', this.options.onLine);
    createInterface({ input: child.stderr! }).on('line', this.options.onLine);
    const ports = await listeningPorts(child, 'the gRPC sidecar');
    this.#grpcPort = ports.grpc;
    this.#address = `${reachableHost(this.options.host)}:${ports.grpc}`;
    this.#metricsUrl = `http://127.0.0.1:${ports.metrics}/metrics`;
    this.#health?.close();
    this.#health = new HealthClient(this.#address);
    while (child.exitCode === null && child.signalCode === null) {
      if ((await this.probe()) === 'ready') {
        child.once('exit', (code, signal) => this.#exited(child, code, signal));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the gRPC sidecar exited before it was ready (exit code ${child.exitCode ?? child.signalCode})`);
  }

  #exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#stopped || this.#child !== child) return;
    this.options.onExit(code, signal);
    this.#restartSoon();
  }

  /** Starts it again after a pause, and again after a failed start (its port taken meanwhile), until stopped. */
  #restartSoon(): void {
    setTimeout(() => {
      if (!this.#stopped) this.start().catch(() => this.#restartSoon());
    }, RESTART_DELAY_MS).unref();
  }

  async probe(): Promise<'ready' | 'not ready'> {
    if (!this.#health) return 'not ready';
    try {
      return (await this.#health.check()) === 'SERVING' ? 'ready' : 'not ready';
    } catch {
      return 'not ready';
    }
  }

  /** SIGTERM (the sidecar drains its calls) and wait for it to exit. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#health?.close();
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

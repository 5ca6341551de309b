import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { listeningPorts } from '../shared/runtime/startup/listening-report.js';
import { functionNodeFlags } from '../shared/runtime/startup/node-flags.js';

/**
 * Runs each function bundle as its own child process, as Knative runs one container per service. Each listens
 * on a port the kernel picks as it binds (see listening-report.ts) and reports it; with `keepPorts` a process
 * that dies is started again on its port (like a pod restart), so URLs handed out stay valid.
 */
interface Running {
  child: ChildProcess;
  ready: Promise<void>;
}

export interface FleetOptions {
  readonly bundle: (name: FunctionName) => string;
  readonly env: NodeJS.ProcessEnv;
  /** Each line a function prints (its JSON logs), for the stack's own output. */
  readonly onLine: (name: FunctionName, line: string) => void;
  /** A function started again listens where it did before; otherwise each start takes a new port. */
  readonly keepPorts: boolean;
  readonly restartDelayMs?: number;
}

export class FunctionFleet {
  readonly #ports = new Map<FunctionName, number>();
  readonly #running = new Map<FunctionName, Running>();
  #stopping = false;

  constructor(private readonly options: FleetOptions) {}

  /** Where the function listens: known once it has started (a scaled-to-zero one's next start may move it). */
  url(name: FunctionName): string | undefined {
    const port = this.#ports.get(name);
    return port === undefined ? undefined : `http://127.0.0.1:${port}`;
  }

  isRunning(name: FunctionName): boolean {
    return this.#running.has(name);
  }

  /** The process id of the running function, if it runs. */
  pid(name: FunctionName): number | undefined {
    return this.#running.get(name)?.child.pid;
  }

  /** Starts the function unless it runs; resolves once it listens (its store opens lazily, so it answers then). */
  start(name: FunctionName): Promise<void> {
    const running = this.#running.get(name);
    if (running) return running.ready;
    if (this.#stopping) return Promise.reject(new Error(`function '${name}' not started: the stack is stopping`));
    const port = this.options.keepPorts ? (this.#ports.get(name) ?? 0) : 0;
    const child = spawn(process.execPath, [...functionNodeFlags(name), this.options.bundle(name)], {
      env: { ...this.options.env, PORT: String(port) },
      // The IPC channel carries its port, and it closes when this process dies however it dies: the function
      // then drains and exits.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.options.onLine(name, line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.options.onLine(name, line));
    const ready = listeningPorts(child, `function '${name}'`).then(({ http }) => {
      this.#ports.set(name, http!);
    });
    ready.catch(() => undefined);
    this.#running.set(name, { child, ready });
    child.once('exit', () => {
      if (this.#running.get(name)?.child === child) this.#running.delete(name);
      if (!this.#stopping && !this.#stoppedOnPurpose.delete(child)) {
        setTimeout(() => void this.start(name).catch(() => undefined), this.options.restartDelayMs ?? 250).unref();
      }
    });
    return ready;
  }

  readonly #stoppedOnPurpose = new WeakSet<ChildProcess>();

  /** Stops one function gracefully (SIGTERM, it drains) and does not restart it. */
  async stop(name: FunctionName): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    this.#stoppedOnPurpose.add(running.child);
    await terminate(running.child);
  }

  async stopAll(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.#running.values()].map(({ child }) => terminate(child)));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

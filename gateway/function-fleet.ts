import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FunctionName } from '../shared/runtime/http/routes.js';
import { functionNodeFlags } from '../shared/runtime/startup/node-flags.js';

/**
 * Runs each function bundle as its own child process on a fixed port, as Knative runs one container per
 * service. A process that dies is started again on the same port (like a pod restart), so URLs stay valid.
 */
export interface FleetMember {
  readonly name: FunctionName;
  readonly port: number;
  readonly url: string;
}

interface Running {
  child: ChildProcess;
  ready: Promise<void>;
}

export interface FleetOptions {
  readonly bundle: (name: FunctionName) => string;
  readonly env: NodeJS.ProcessEnv;
  /** Each line a function prints (its JSON logs), for the stack's own output. */
  readonly onLine: (name: FunctionName, line: string) => void;
  readonly restartDelayMs?: number;
}

export class FunctionFleet {
  readonly #members = new Map<FunctionName, FleetMember>();
  readonly #running = new Map<FunctionName, Running>();
  #stopping = false;

  constructor(private readonly options: FleetOptions) {}

  add(name: FunctionName, port: number): FleetMember {
    const member = { name, port, url: `http://127.0.0.1:${port}` };
    this.#members.set(name, member);
    return member;
  }

  get members(): FleetMember[] {
    return [...this.#members.values()];
  }

  member(name: FunctionName): FleetMember {
    const member = this.#members.get(name);
    if (!member) throw new Error(`function '${name}' is not part of this stack`);
    return member;
  }

  isRunning(name: FunctionName): boolean {
    return this.#running.has(name);
  }

  /** The process id of the running function, if it runs. */
  pid(name: FunctionName): number | undefined {
    return this.#running.get(name)?.child.pid;
  }

  /** Starts the function unless it runs; resolves once it reports ready. */
  start(name: FunctionName): Promise<void> {
    const running = this.#running.get(name);
    if (running) return running.ready;
    if (this.#stopping) return Promise.reject(new Error(`function '${name}' not started: the stack is stopping`));
    const { port } = this.member(name);
    const child = spawn(process.execPath, [...functionNodeFlags(name), this.options.bundle(name)], {
      env: { ...this.options.env, PORT: String(port) },
      // The IPC channel closes when this process dies however it dies, and the function then drains and exits.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.options.onLine(name, line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.options.onLine(name, line));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`function '${name}' exited before ready (${signal ?? code})`))),
    );
    const ready = Promise.race([waitForHealth(`http://127.0.0.1:${port}/healthz`, child), exited]);
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

/** Polls the liveness probe: a function is ready to take traffic once it answers (its store opens lazily). */
async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

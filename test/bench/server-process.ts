import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { freePort } from '../support/processes.js';

/** Variables of the bench's own environment a measured process must not inherit: each run states its own. */
const STATE_VARIABLES = ['PORT', 'STORE', 'DATA_DIR', 'MONGODB_URI', 'REDIS_URL', 'LOG_LEVEL', 'NODE_OPTIONS'];

/** USER_HZ, the unit of /proc/<pid>/stat times; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

const running = new Set<ChildProcess>();
// Whatever happens to the bench, no server outlives it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The most resident memory the process has had so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  /** CPU time the process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  /** SIGTERM (a graceful drain, which also writes a --cpu-prof profile), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** The process's stdout and stderr go to this file, so its logs cost the bench nothing. */
  readonly logFile: string;
  /** Answers 200 once the process can serve. */
  readonly readyPath: string;
  /** A `taskset` CPU list the process (and every thread it starts) is held to, e.g. `1`. */
  readonly cpus?: string;
}

/** Starts a bundle as `PORT=… node <bundle>` (as one pod runs it) and waits until `readyPath` answers 200. */
export async function serveBundle(bundle: string, env: NodeJS.ProcessEnv, options: ServeOptions): Promise<ServerProcess> {
  const port = await freePort();
  const inherited = { ...process.env };
  for (const name of STATE_VARIABLES) delete inherited[name];
  const log = openSync(options.logFile, 'a');
  const command = [process.execPath, ...(options.nodeFlags ?? []), bundle];
  // taskset execs the command in its own process, so the pid (its CPU time, its memory) stays the server's.
  const [file, ...args] = options.cpus === undefined ? command : ['taskset', '-c', options.cpus, ...command];
  const child = spawn(file!, args, {
    env: { ...inherited, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    pid: child.pid!,
    peakRssBytes: () => {
      const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      return Number(kib) * 1024;
    },
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitForOk(`${url}${options.readyPath}`, child, options.logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForOk(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}:\n${tail(logFile)}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${url} did not answer 200 within 60 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').slice(-4000);
}

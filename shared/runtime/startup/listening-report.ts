import type { ChildProcess } from 'node:child_process';

/**
 * Where a process started by the local stack listens, sent to the stack over their IPC channel. The stack
 * starts its children on port 0, so the kernel picks each port as it binds it: a port picked free beforehand
 * can be taken by any other process on the machine before the child binds it, and the child then fails.
 */
export type ListeningPorts = Readonly<Record<string, number>>;

interface ListeningMessage {
  readonly listening: ListeningPorts;
}

/** Tells the parent where this process listens; without an IPC channel (Knative, compose) there is no one to tell. */
export function reportListening(ports: ListeningPorts): void {
  if (process.send) process.send({ listening: ports } satisfies ListeningMessage);
}

/**
 * The ports `child` reports once it listens; rejects if it exits first, or, given `timeoutMs`, if it has not
 * reported by then.
 */
export function listeningPorts(child: ChildProcess, what: string, timeoutMs?: number): Promise<ListeningPorts> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
    };
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('listening' in message)) return;
      settle();
      resolve((message as ListeningMessage).listening);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      settle();
      reject(new Error(`${what} exited before it was listening (${signal ?? `exit code ${code}`})`));
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            settle();
            reject(new Error(`${what} reported no port within ${timeoutMs} ms`));
          }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

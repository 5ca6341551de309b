import { spawn, type ChildProcess } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listeningPorts } from '../../shared/runtime/startup/listening-report.js';

const test = suite('listening report: the ports a child sends its parent');

/** A real child process with an IPC channel, running `source`; killed after the test whatever happens. */
async function withChild(source: string, use: (child: ChildProcess) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await use(child);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}

const rejection = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: Error) => error.message,
  );

test('resolves with the ports the child reports', () =>
  withChild("process.send({ listening: { http: 4321 } }); setTimeout(() => {}, 10000)", async (child) => {
    assert.equal(await listeningPorts(child, 'the child', 10_000), { http: 4321 });
  }));

test('rejects when the child exits before it reports', () =>
  withChild('process.exit(3)', async (child) => {
    assert.is(await rejection(listeningPorts(child, 'the child', 10_000)), 'the child exited before it was listening (exit code 3)');
  }));

test('rejects when the child has not reported within the time given', () =>
  withChild('setTimeout(() => {}, 10000)', async (child) => {
    assert.is(await rejection(listeningPorts(child, 'the child', 100)), 'the child reported no port within 100 ms');
  }));

test.run();

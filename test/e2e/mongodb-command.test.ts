import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { childrenOf, untilAllExited } from '../support/child-processes.js';
import { mongoAvailable } from '../support/mongodb.js';
import { freePort, spawnProcess, tempDir, type Spawned } from '../support/processes.js';
import { waitForOutput } from '../support/sidecar.js';

/** `npm run mongodb`: a local MongoDB-wire server in the foreground (FerretDB on SQLite), as a user runs it. */

const URI_LINE = /^MONGODB_URI=(mongodb:\/\/127\.0\.0\.1:(\d+)\/)$/m;

interface Running {
  readonly command: Spawned;
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;
}

/** The command in a process group of its own (as a terminal runs it), once it has printed its URI. */
async function runCommand(args: string[], use: (running: Running) => Promise<void>): Promise<void> {
  const data = tempDir('dbsvc-mongodb-command');
  const command = spawnProcess('npm', ['run', '--silent', 'mongodb', '--', ...args], { DATA_DIR: data.path }, { processGroup: true });
  try {
    await Promise.race([
      waitForOutput(command, URI_LINE),
      command.exited.then(() => Promise.reject(new Error(`npm run mongodb exited:\n${command.output()}`))),
    ]);
    const [, uri, port] = URI_LINE.exec(command.output())!;
    await use({ command, uri: uri!, port: Number(port), dataDir: data.path });
  } finally {
    if (command.child.exitCode === null && command.child.signalCode === null) process.kill(-command.child.pid!, 'SIGKILL');
    await command.exited;
    data.remove();
  }
}

/** Every process below `pid`, children first. */
function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

if (mongoAvailable('npm run mongodb', { restartable: true })) {
  test('npm run mongodb -- --port N prints MONGODB_URI for that port, and a MongoDB driver writes and reads there', async () => {
    const wanted = await freePort();
    await runCommand(['--port', String(wanted)], async ({ uri, port }) => {
      assert.is(port, wanted);
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        const people = client.db('command_test').collection<{ _id: string; name: string }>('people');
        await people.insertOne({ _id: 'ada', name: 'Ada' });
        assert.equal(await people.findOne({ _id: 'ada' }), { _id: 'ada', name: 'Ada' });
      } finally {
        await client.close();
      }
    });
  });

  test('npm run mongodb without --port picks a free port and keeps its data under DATA_DIR/ferretdb', async () => {
    await runCommand([], async ({ uri, port, dataDir }) => {
      assert.ok(port > 0);
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.db('kept').collection('things').insertOne({ n: 1 });
      } finally {
        await client.close();
      }
      assert.ok(existsSync(join(dataDir, 'ferretdb', 'kept.sqlite')), `no kept.sqlite under ${join(dataDir, 'ferretdb')}`);
    });
  });

  test('Ctrl-C (SIGINT to the process group) stops npm run mongodb: it says "stopped", every process is gone, the port closed', async () => {
    await runCommand([], async ({ command, uri }) => {
      const processes = descendantsOf(command.child.pid!);
      process.kill(-command.child.pid!, 'SIGINT');
      // npm itself ends by the SIGINT, as commands a terminal interrupts do; the script below it stops FerretDB and exits 0.
      await command.exited;
      assert.match(command.output(), /^mongodb: stopped$/m);
      await untilAllExited(processes, 10_000);
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
      const ping = await client
        .db('admin')
        .command({ ping: 1 })
        .then(() => 'answered', (error: Error) => error.message)
        .finally(() => client.close());
      assert.match(ping, /ECONNREFUSED/);
    });
  });

  test('npm run mongodb -- --port on a port already in use exits 1 naming the port', async () => {
    await runCommand([], async ({ port, dataDir }) => {
      const second = spawnProcess('npm', ['run', '--silent', 'mongodb', '--', '--port', String(port)], { DATA_DIR: dataDir }, { processGroup: true });
      const { code } = await second.exited;
      assert.is(code, 1);
      assert.match(second.output(), new RegExp(`mongodb: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    });
  });
}

test.run();

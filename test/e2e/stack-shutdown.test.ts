import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { childrenOf, isRunning, untilAllExited } from '../support/child-processes.js';
import { DIST, spawnNode, spawnProcess, tempDir } from '../support/processes.js';
import { scrape, valueOf } from '../support/prometheus.js';
import { startStack } from '../support/stack.js';

/** Stopping the local stack (`npm start`): its gateway, gRPC sidecar and function processes, over real sockets. */

/** A query whose headers and first body bytes are sent now; `finish()` sends the rest and resolves with the status. */
function slowQuery(agent: Agent, port: number, collection: string): { finish: () => Promise<number | string> } {
  const head = '{"filter":{';
  const tail = '}}';
  const req = httpRequest({
    agent,
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/v1/collections/${collection}/query`,
    headers: { 'content-type': 'application/json', 'content-length': head.length + tail.length },
  });
  const answer = new Promise<number | string>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  req.write(head);
  return {
    finish: () => {
      req.end(tail);
      return answer;
    },
  };
}

test('Ctrl-C (SIGINT to the process group) with 200 queries in flight: every one is answered 200 and the stack exits 0', async () => {
  const stack = await startStack({}, undefined, { processGroup: true });
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  try {
    const queries = Array.from({ length: 200 }, () => slowQuery(agent, stack.port, 'ctrl_c'));
    // The function counts a request in flight from its headers on (the scrape of its /metrics is one more).
    let inFlight = 0;
    for (let i = 0; i < 1000 && inFlight < 201; i++) {
      inFlight = valueOf(await scrape(stack.url), 'http_requests_in_flight', { function: 'query' });
      if (inFlight < 201) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(inFlight, 201);
    process.kill(-stack.process.child.pid!, 'SIGINT');
    for (let i = 0; i < 1000 && !stack.process.output().includes('stopping…'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    // Every process has its signal and the stack is stopping; only now do the queries' bodies end.
    const statuses = await Promise.all(queries.map((q) => q.finish()));
    assert.equal(statuses.filter((status) => status !== 200), []);
    assert.is((await stack.process.exited).code, 0);
  } finally {
    agent.destroy();
    await stack.stop();
    stack.removeData();
  }
});

/** `pid`'s descendants, nearest first. */
function descendantsOf(pid: number): number[] {
  const children = childrenOf(pid);
  return [...children, ...children.flatMap(descendantsOf)];
}

test('a SIGTERM to `npm run start:built` itself, as a supervisor sends it, stops the stack and every process it started', async () => {
  const data = tempDir('dbsvc-npm-stop');
  // npm's own script, run by this Node, as `npm test` runs it; `npm` from PATH otherwise.
  const npm = process.env.npm_execpath
    ? spawnProcess(process.execPath, [process.env.npm_execpath, 'run', 'start:built'], { PORT: '0', GRPC_PORT: '0', DATA_DIR: data.path, LOG_LEVEL: 'warn' })
    : spawnProcess('npm', ['run', 'start:built'], { PORT: '0', GRPC_PORT: '0', DATA_DIR: data.path, LOG_LEVEL: 'warn' });
  let started: number[] = [];
  try {
    for (let i = 0; i < 6000 && !npm.output().includes('Database Service is up'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    started = descendantsOf(npm.child.pid!);
    assert.ok(started.length >= 7, `the stack, its functions and the sidecar run under npm: ${started.join(', ')}`);
    npm.child.kill('SIGTERM');
    await untilAllExited(started, 15_000);
    await npm.exited;
  } finally {
    for (const pid of started.filter(isRunning)) process.kill(pid, 'SIGKILL');
    await npm.stop();
    data.remove();
  }
});

test('every process the stack started exits when the stack is killed outright (SIGKILL)', async () => {
  const stack = await startStack();
  try {
    const children = childrenOf(stack.process.child.pid!);
    assert.ok(children.length >= 6, `the functions and the sidecar run as children: ${children.join(', ')}`);
    stack.process.child.kill('SIGKILL');
    await stack.process.exited;
    await untilAllExited(children, 15_000);
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('a SIGTERM while the stack is still starting stops every child it had started', async () => {
  const data = tempDir('dbsvc-early-stop');
  const stack = spawnNode(join(DIST, 'local-stack.mjs'), { PORT: '0', GRPC_PORT: '0', DATA_DIR: data.path, LOG_LEVEL: 'warn' });
  const seen = new Set<number>();
  try {
    const pid = stack.child.pid!;
    for (let i = 0; i < 2000 && seen.size === 0; i++) {
      for (const child of childrenOf(pid)) seen.add(child);
      if (seen.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(seen.size > 0, 'the stack started a child');
    stack.child.kill('SIGTERM');
    for (let i = 0; i < 4000 && isRunning(pid); i++) {
      for (const child of childrenOf(pid)) seen.add(child);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await untilAllExited([...seen], 15_000);
    assert.is((await stack.exited).code, 0);
  } finally {
    await stack.stop();
    data.remove();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { startHungCollector } from '../support/hung-collector.js';
import { waitForLine } from '../support/logs.js';
import { freePort, tempDir } from '../support/processes.js';
import { scrape, valueOf } from '../support/prometheus.js';
import { startFunction } from '../support/stack.js';

/**
 * Graceful drain over real sockets: requests whose bodies are still streaming when SIGTERM arrives are
 * genuinely in flight in the function, and must all be answered before it exits 0.
 */
interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
}

/** A POST whose headers and first body bytes are sent now; `finish()` sends the rest and resolves with the answer. */
function slowCreate(agent: Agent, port: number, path: string, id: string): { finish: () => Promise<Answer> } {
  const head = `{"id":"${id}","data":{"note":"`;
  const tail = 'streamed slowly"}}';
  const req = httpRequest({
    agent,
    host: '127.0.0.1',
    port,
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(head + tail) },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write(head);
  return {
    finish: () => {
      req.end(tail);
      return answer;
    },
  };
}

/** A GET on its own connection: `connected` once the kernel completed the handshake (accepted or not). */
function backlogGet(port: number, path: string): { connected: Promise<void>; answer: Promise<number | string> } {
  const req = httpRequest({ agent: false, host: '127.0.0.1', port, path });
  const connected = new Promise<void>((resolve) => req.once('socket', (socket) => socket.once('connect', () => resolve())));
  const answer = new Promise<number | string>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  req.end();
  return { connected, answer };
}

/** Resolves once the function reports at least `count` requests in flight (the scrape itself is one of them). */
async function untilInFlight(url: string, count: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (valueOf(await scrape(url), 'http_requests_in_flight') >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${count} requests in flight`);
}

test('SIGTERM while 200 requests are in flight: all 200 are answered 2xx with Connection: close, and the process exits 0', async () => {
  const data = tempDir('dbsvc-drain');
  const fn = await startFunction('create', { DATA_DIR: data.path, LOG_LEVEL: 'info' });
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  try {
    const port = Number(new URL(fn.url).port);
    const requests = Array.from({ length: 200 }, (_, i) => slowCreate(agent, port, '/v1/collections/drain/documents', `d${i}`));
    await untilInFlight(fn.url, 201);

    fn.process.child.kill('SIGTERM');
    await waitForLine(fn.process, (line) => line.msg === 'shutting down');

    const answers = await Promise.all(requests.map((r) => r.finish()));
    assert.equal(
      answers.filter((a) => a.status !== 201),
      [],
    );
    assert.ok(answers.every((a) => a.connection === 'close'), 'every answer closes its keep-alive connection');
    assert.is((await fn.process.exited).code, 0);
  } finally {
    agent.destroy();
    await fn.process.stop();
    data.remove();
  }
});

test('after SIGTERM a function answers /readyz 503 on new connections for SHUTDOWN_ACCEPT_MS, then refuses them', async () => {
  const data = tempDir('dbsvc-accept-window');
  const fn = await startFunction('create', { DATA_DIR: data.path, LOG_LEVEL: 'info', SHUTDOWN_ACCEPT_MS: '1000' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // One request in flight keeps the process draining, and so alive, after the window closes.
    const held = slowCreate(agent, Number(new URL(fn.url).port), '/v1/collections/window/documents', 'held');
    await untilInFlight(fn.url, 2);
    const signalled = performance.now();
    fn.process.child.kill('SIGTERM');
    await waitForLine(fn.process, (line) => line.msg === 'shutting down');

    const readiness = await fetch(`${fn.url}/readyz`, { headers: { connection: 'close' } });
    await readiness.body?.cancel();
    assert.is(readiness.status, 503);
    let refusedAfter = Number.NaN;
    for (let i = 0; i < 300 && Number.isNaN(refusedAfter); i++) {
      const refused = await fetch(`${fn.url}/healthz`, { headers: { connection: 'close' } }).then(
        async (reply) => void (await reply.body?.cancel()),
        () => true,
      );
      if (refused) refusedAfter = performance.now() - signalled;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(refusedAfter >= 1000, `refused ${refusedAfter.toFixed(0)} ms after SIGTERM`);
    assert.is((await held.finish()).status, 201);
    assert.is((await fn.process.exited).code, 0);
  } finally {
    agent.destroy();
    await fn.process.stop();
    data.remove();
  }
});

test('requests waiting in the listen backlog when SIGTERM arrives are all answered, none reset', async () => {
  const data = tempDir('dbsvc-backlog');
  // A window a loaded machine cannot miss: the stopped process must first be scheduled to accept the backlog.
  const fn = await startFunction('get', { DATA_DIR: data.path, SHUTDOWN_ACCEPT_MS: '2000' });
  try {
    // Stopped, the process accepts nothing: the kernel completes each handshake and queues it in the backlog.
    fn.process.child.kill('SIGSTOP');
    const port = Number(new URL(fn.url).port);
    const requests = Array.from({ length: 200 }, () => backlogGet(port, '/v1/collections/backlog/documents/none'));
    await Promise.all(requests.map((r) => r.connected));
    const answers = requests.map((r) => r.answer);
    fn.process.child.kill('SIGTERM');
    fn.process.child.kill('SIGCONT');
    assert.equal((await Promise.all(answers)).filter((status) => status !== 404), []);
    assert.is((await fn.process.exited).code, 0);
  } finally {
    fn.process.child.kill('SIGCONT');
    await fn.process.stop();
    data.remove();
  }
});

test('requests that reach a busy function as its accept window ends are all answered, none reset', async () => {
  const data = tempDir('dbsvc-window-end');
  const fn = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'info', SHUTDOWN_ACCEPT_MS: '300' });
  try {
    fn.process.child.kill('SIGTERM');
    await waitForLine(fn.process, (line) => line.msg === 'shutting down');
    const windowOpened = performance.now();
    // Stopped, the process stands for one whose event loop is busy: connections wait in the listen backlog and
    // their requests in the socket buffers, and on resuming its accept window has already run out.
    fn.process.child.kill('SIGSTOP');
    const port = Number(new URL(fn.url).port);
    const requests = Array.from({ length: 50 }, () => backlogGet(port, '/v1/collections/window/documents/none'));
    await Promise.all(requests.map((r) => r.connected));
    // Not a wait for readiness: the window's timer must be due when the process runs again.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowOpened + 600 - performance.now())));
    fn.process.child.kill('SIGCONT');
    assert.equal((await Promise.all(requests.map((r) => r.answer))).filter((status) => status !== 404), []);
    assert.is((await fn.process.exited).code, 0);
  } finally {
    fn.process.child.kill('SIGCONT');
    await fn.process.stop();
    data.remove();
  }
});

test('an idle keep-alive connection does not hold the drain: exit 0 within a 1-second timeout', async () => {
  const data = tempDir('dbsvc-idle');
  // Node keeps an idle connection open for 5 s; were it not dropped, the 1 s drain would time out and exit 1.
  const fn = await startFunction('get', { DATA_DIR: data.path, SHUTDOWN_TIMEOUT_SECONDS: '1' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = httpRequest({ agent, host: '127.0.0.1', port: Number(new URL(fn.url).port), path: '/v1/collections/idle/documents/none' }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket!));
      });
      req.on('error', reject);
      req.end();
    });
    assert.not.ok(socket.destroyed, 'the agent keeps the connection open and idle');
    const socketClosed = once(socket, 'close');
    const { code } = await fn.process.stop();
    assert.is(code, 0);
    await socketClosed;
  } finally {
    agent.destroy();
    await fn.process.stop();
    data.remove();
  }
});

test('SIGINT drains like SIGTERM and exits 0', async () => {
  const data = tempDir('dbsvc-sigint');
  const fn = await startFunction('get', { DATA_DIR: data.path, LOG_LEVEL: 'info' });
  try {
    fn.process.child.kill('SIGINT');
    const { code } = await fn.process.exited;
    assert.is(code, 0);
    await waitForLine(fn.process, (line) => line.msg === 'shutting down' && line.signal === 'SIGINT');
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

/** A create, so the function holds a span for the exporter to send at shutdown. */
async function createOne(url: string): Promise<void> {
  const res = await fetch(`${url}/v1/collections/spans/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":{}}' });
  assert.is(res.status, 201);
  await res.text();
}

test('a trace collector that is down costs the buffered spans, not the exit code: SIGTERM still exits 0', async () => {
  const data = tempDir('dbsvc-otlp-down');
  const closed = await freePort();
  const fn = await startFunction('create', {
    DATA_DIR: data.path,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closed}`,
    // Spans wait in the buffer until shutdown, which must then try to export them.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  });
  try {
    await createOne(fn.url);
    const { code } = await fn.process.stop(30_000);
    assert.is(code, 0, fn.process.output());
    await waitForLine(fn.process, (line) => line.msg === 'spans still buffered were not exported at shutdown');
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('a trace collector that never answers does not hold the drain past SHUTDOWN_TIMEOUT_SECONDS: exit 0 within it', async () => {
  const data = tempDir('dbsvc-otlp-hang');
  const collector = await startHungCollector();
  const fn = await startFunction('create', {
    DATA_DIR: data.path,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    SHUTDOWN_TIMEOUT_SECONDS: '3',
  });
  try {
    await createOne(fn.url);
    // A drain still running at SHUTDOWN_TIMEOUT_SECONDS exits 1 ("shutdown timed out"): 0 means it ended within it.
    const { code } = await fn.process.stop(30_000);
    assert.is(code, 0, fn.process.output());
  } finally {
    await fn.process.stop();
    await collector.close();
    data.remove();
  }
});

test.run();

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../../gateway/free-port.js';

/** The first port Linux gives outgoing connections (net.ipv4.ip_local_port_range). */
const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

test('a free port lies below the range the OS gives outgoing connections, so none of them can take it first', async () => {
  for (let i = 0; i < 50; i++) {
    const port = await freePort();
    assert.ok(port >= 10_000 && port < ephemeralStart, `port ${port} is outside 10000..${ephemeralStart - 1}`);
  }
});

test('a port is never handed out twice by one process', async () => {
  const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
  assert.is(new Set(ports).size, ports.length);
});

test('the port handed out can be listened on', async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { childrenOf } from '../support/child-processes.js';
import { listeningAddresses } from '../support/listening.js';
import { tempDir } from '../support/processes.js';
import { startFunction, startStack } from '../support/stack.js';

/** Where the servers listen, read from the kernel's socket table (no packet is sent to any other address). */

test('the local stack listens on loopback only: gateway, gRPC sidecar, its metrics and every function', async () => {
  const stack = await startStack();
  try {
    const pid = stack.process.child.pid!;
    const addresses = listeningAddresses([pid, ...childrenOf(pid)]);
    assert.ok(addresses.includes(`127.0.0.1:${stack.port}`), addresses.join(' '));
    assert.ok(addresses.includes(stack.grpcAddress), addresses.join(' '));
    assert.equal(addresses.filter((address) => !address.startsWith('127.0.0.1:')), []);
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('HOST=0.0.0.0 opens the stack to every interface', async () => {
  const stack = await startStack({ HOST: '0.0.0.0' });
  try {
    const addresses = listeningAddresses([stack.process.child.pid!]);
    assert.equal(addresses, [`0.0.0.0:${stack.port}`]);
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('a function started alone, as in a container, listens on every interface', async () => {
  const data = tempDir('dbsvc-listen');
  const fn = await startFunction('get', { DATA_DIR: data.path });
  try {
    const addresses = listeningAddresses([fn.process.child.pid!]);
    assert.equal(addresses.length, 1);
    assert.match(addresses[0]!, /^(0\.0\.0\.0|\[::\]):\d+$/);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test.run();

import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, spawnNode } from './support/processes.js';

/** `npm run bench:front-door` keeps working: a short run prints a row for each path. Figures live in BENCHMARKS.md. */
test('the front-door bench prints a row of calls per second for direct REST, the gateway, the gRPC sidecar and its bare-server ceiling', async () => {
  const bench = spawnNode(join(ROOT, 'test', 'bench', 'front-door.ts'), { FRONT_DOOR_SECONDS: '0.3', FRONT_DOOR_ROUNDS: '1', FRONT_DOOR_CONNECTIONS: '1' }, ['--import', 'tsx']);
  const { code } = await bench.exited;
  assert.is(code, 0, bench.output());
  for (const path of ['REST → get', 'REST → gateway → get', 'gRPC → sidecar → get', 'gRPC → bare server']) {
    const row = new RegExp(`^${path} +(\\d+) `, 'm').exec(bench.output());
    assert.ok(row && Number(row[1]) > 0, `no calls through ${path}:\n${bench.output()}`);
  }
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { ROOT, spawnProcess, tempDir } from '../support/processes.js';

/**
 * Processes that open a new database file at the same moment (a fresh stack's first requests) meet while one of
 * them turns the file into WAL mode, where SQLite refuses a lock at once instead of waiting. Each must still
 * write. Before the store retried that, two runs of this test had processes fail with SQLITE_BUSY in 2 and 3 of
 * their 8 rounds.
 */
const test = suite('SQLite store: processes opening a new file together');

const ROUNDS = 8;
const PROCESSES = 4;
/** Time for every process to load before the common start (they spin until then). */
const LINE_UP_MS = 2500;

test('every process writes on its first try', async () => {
  const failures: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const data = tempDir('dbsvc-first-open');
    try {
      const startAt = Date.now() + LINE_UP_MS;
      const writers = Array.from({ length: PROCESSES }, () =>
        spawnProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/first-write.ts'), data.path, String(startAt)]),
      );
      const outputs = await Promise.all(writers.map(async (writer) => (await writer.exited, writer.output().trim())));
      failures.push(...outputs.filter((output) => output !== 'ok').map((output) => `round ${round}: ${output}`));
    } finally {
      data.remove();
    }
  }
  assert.equal(failures, []);
});

test.run();

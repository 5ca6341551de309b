import { newDocument } from '../../shared/domain/document.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';

/**
 * A process's first write to a SQLite file, timed to start with other processes' (test/contract/
 * sqlite-first-open.test.ts): `node --import tsx first-write.ts <dataDir> <epoch ms to start at>`. Prints `ok`, or
 * `failed: <message>`.
 */
const [dataDir, startAt] = process.argv.slice(2);
const store = openSqliteStore({ dataDir: dataDir! });
// Spin, not sleep, to the common start: a timer's wake-up would spread the processes apart.
while (Date.now() < Number(startAt));
try {
  await store.create(newDocument('c', `p${process.pid}`, { n: 1 }, new Date()));
  console.log('ok');
} catch (error) {
  console.log(`failed: ${(error as Error).message}`);
} finally {
  await store.close();
}

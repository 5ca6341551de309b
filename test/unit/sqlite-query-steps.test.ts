import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateFilter } from '../../shared/domain/query/index.js';
import type { QueryReads, ScanStep } from '../../shared/infrastructure/sqlite/query-reads.js';
import type { DocumentRow } from '../../shared/infrastructure/sqlite/rows.js';
import { countMatches, runQuery, type ReadStep } from '../../shared/infrastructure/sqlite/sqlite-query.js';

/**
 * How a scan is cut into steps, against reads standing in for SQLite: each read takes longer than a step may
 * test documents for (a prefilter that passes 20 rows of many), and hands back the rows after `afterId`, the
 * whole collection read (nothing to resume after). Before a step's clock started after its read, every step
 * ended after one document and read again: 20 reads for 20 rows. Testing 20 rows takes microseconds, but this
 * process runs every unit test file, and one collection pause of its heap can still end a step (STEP_MS, 5 ms)
 * part way: so a second read is allowed, a read per document is not.
 */
const MOST_READS = 2;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const SLOW_READ_MS = 15;

function slowReads(rows: readonly DocumentRow[]): { read: ReadStep; calls: () => number } {
  let calls = 0;
  const reads = {
    plan: () => undefined,
    documentsAfter: (_collection: string, _filter: unknown, afterId: string, limit = 256): ScanStep => {
      calls++;
      Atomics.wait(PAUSE, 0, 0, SLOW_READ_MS);
      return { rows: rows.filter((row) => row.id > afterId).slice(0, limit), resumeAfter: undefined };
    },
  } as unknown as QueryReads;
  return { read: async (step) => step(reads), calls: () => calls };
}

const rows: DocumentRow[] = Array.from({ length: 20 }, (_, n) => ({
  collection: 'c',
  id: `d${String(n).padStart(2, '0')}`,
  version: 1,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  data: JSON.stringify({ s: 'x' }),
}));

test('a scan whose read outlasts a step reads its rows at once, not once per document', async () => {
  const { read, calls } = slowReads(rows);
  const result = await runQuery(read, 'c', { filter: validateFilter({ s: 'x' }), sort: [], limit: 1000 });
  assert.is(result.documents.length, 20);
  assert.ok(calls() <= MOST_READS, `${calls()} reads`);
});

test('a sorted scan whose read outlasts a step reads its rows at once, not once per document', async () => {
  const { read, calls } = slowReads(rows);
  const result = await runQuery(read, 'c', { filter: validateFilter({ s: 'x' }), sort: [['s', 1]], limit: 1000 });
  assert.is(result.documents.length, 20);
  assert.ok(calls() <= MOST_READS, `${calls()} reads`);
});

test('a count whose read outlasts a step reads its rows at once, not once per document', async () => {
  const { read, calls } = slowReads(rows);
  assert.is(await countMatches(read, 'c', { filter: validateFilter({ s: 'x' }) }), 20);
  assert.ok(calls() <= MOST_READS, `${calls()} reads`);
});

test.run();

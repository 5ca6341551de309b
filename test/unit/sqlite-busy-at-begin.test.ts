import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UnavailableError } from '../../shared/domain/errors.js';
import type { Outcome } from '../../shared/domain/ports.js';
import { batchTransaction, TransactionBatcher, type Operation } from '../../shared/infrastructure/sqlite/batched-transactions.js';
import { BusyAtBegin, isBusy, toStoreError } from '../../shared/infrastructure/sqlite/sqlite-errors.js';

/**
 * Only a batch whose BEGIN found the lock taken has run nothing and may run again whole; a SQLITE_BUSY once the
 * transaction has begun is the failure of what met it.
 */
const test = suite<{ dir: string; db: DatabaseSync; holder: DatabaseSync }>('SQLite batches: SQLITE_BUSY at BEGIN and after it', {
  dir: '',
  db: undefined as unknown as DatabaseSync,
  holder: undefined as unknown as DatabaseSync,
});

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'dbsvc-busy-'));
  const file = join(context.dir, 'busy.sqlite');
  context.db = new DatabaseSync(file, { timeout: 5 });
  context.db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER)');
  context.holder = new DatabaseSync(file);
  context.holder.exec('BEGIN IMMEDIATE');
});

test.after.each(async ({ dir, db, holder }) => {
  holder.close();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

test('a write batch whose BEGIN IMMEDIATE finds the write lock taken throws BusyAtBegin and runs no operation', ({ db }) => {
  let ran = false;
  const write: Operation<null> = () => {
    ran = true;
    return db.prepare('INSERT INTO t VALUES (1)').run();
  };
  assert.throws(() => batchTransaction<null>(db, 'immediate')(null, [write]), (error: unknown) => error instanceof BusyAtBegin);
  assert.not.ok(ran, 'the operation never ran');
  assert.not.ok(db.isTransaction, 'no transaction is left open');
});

test('a write inside a begun read transaction that finds the lock taken fails alone, never as BusyAtBegin', ({ db }) => {
  const read: Operation<null> = () => db.prepare('SELECT count(*) AS n FROM t').get();
  const write: Operation<null> = () => db.prepare('INSERT INTO t VALUES (1)').run();
  const [readOutcome, writeOutcome] = batchTransaction<null>(db, 'deferred')(null, [read, write]);
  assert.ok(readOutcome?.ok);
  assert.not.ok(writeOutcome?.ok);
  assert.ok(isBusy((writeOutcome as { error: unknown }).error));
});

test.run();

const batcher = suite('TransactionBatcher: a batch that never began');

batcher('runs the same batch again after BusyAtBegin, and settles it once it begins', async () => {
  const tries: number[] = [];
  const runBatch = (operations: ReadonlyArray<Operation<null>>): Array<Outcome<unknown>> => {
    tries.push(operations.length);
    if (tries.length < 3) throw new BusyAtBegin(new Error('database is locked'));
    return operations.map((operation) => ({ ok: true, value: operation(null) }));
  };
  const batches = new TransactionBatcher<null>(runBatch, toStoreError, 60_000);
  assert.equal(await Promise.all([batches.run(() => 'a'), batches.run(() => 'b')]), ['a', 'b']);
  assert.equal(tries, [2, 2, 2]);
});

batcher('a batch that fails otherwise is not run again: its operations fail at once', async () => {
  let tries = 0;
  const batches = new TransactionBatcher<null>(
    () => {
      tries++;
      throw new UnavailableError('disk I/O error');
    },
    toStoreError,
    60_000,
  );
  const error = await batches.run(() => 'a').catch((e: unknown) => e);
  assert.instance(error, UnavailableError);
  assert.not.instance(error, BusyAtBegin);
  assert.is(tries, 1);
});

batcher.run();

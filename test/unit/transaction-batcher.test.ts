import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_BATCH, TransactionBatcher, type Operation } from '../../shared/infrastructure/sqlite/batched-transactions.js';

/**
 * How operations queued in one turn are cut into transactions: the batcher over a recorder instead of SQLite
 * (the store's own suites cover the transactions themselves).
 */
const test = suite('transaction batcher');

function recordingBatcher() {
  const batches: string[][] = [];
  const batcher = new TransactionBatcher<string>(
    (operations: ReadonlyArray<Operation<string>>) => {
      batches.push(operations.map((operation) => String(operation('context'))));
      return operations.map((operation) => ({ ok: true, value: operation('context') }));
    },
    (error) => error,
  );
  return { batches, batcher };
}

test('operations queued in one turn share one transaction, in the order queued', async () => {
  const { batches, batcher } = recordingBatcher();
  const answers = await Promise.all(['a', 'b', 'c'].map((name) => batcher.run(() => name)));
  assert.equal(answers, ['a', 'b', 'c']);
  assert.equal(batches, [['a', 'b', 'c']]);
});

test('an operation on many documents counts as that many: a transaction carries at most MAX_BATCH documents', async () => {
  const { batches, batcher } = recordingBatcher();
  await Promise.all([batcher.run(() => 'many', MAX_BATCH - 1), batcher.run(() => 'one'), batcher.run(() => 'next', 2), batcher.run(() => 'last')]);
  assert.equal(batches, [['many', 'one'], ['next', 'last']]);
});

test('an operation heavier than MAX_BATCH runs alone in its transaction', async () => {
  const { batches, batcher } = recordingBatcher();
  await Promise.all([batcher.run(() => 'before'), batcher.run(() => 'huge', MAX_BATCH * 4), batcher.run(() => 'after')]);
  assert.equal(batches, [['before'], ['huge'], ['after']]);
});

test.run();

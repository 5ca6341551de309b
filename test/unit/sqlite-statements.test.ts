import { DatabaseSync } from 'node:sqlite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOUND_LIMIT, prepare, prepareColumn, prepareTuples } from '../../shared/infrastructure/sqlite/statements.js';

const NUMBERS = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n';

test('a row limit bound as BOUND_LIMIT limits the rows to the bound number', () => {
  const db = new DatabaseSync(':memory:');
  const statement = prepareColumn<[number], number>(db, `${NUMBERS} ${BOUND_LIMIT}`);
  assert.equal(statement.all(3), [1, 2, 3]);
  assert.equal(statement.all(21).length, 21);
  db.close();
});

test('a bare bound LIMIT is refused when the statement is prepared, by every way of preparing one', () => {
  const db = new DatabaseSync(':memory:');
  for (const prepareWith of [prepare, prepareTuples, prepareColumn]) {
    assert.throws(() => prepareWith(db, `${NUMBERS} LIMIT ?`), /BOUND_LIMIT/);
    assert.throws(() => prepareWith(db, `${NUMBERS} limit\n?`), /BOUND_LIMIT/);
  }
  db.close();
});

test('a literal LIMIT is prepared as written', () => {
  const db = new DatabaseSync(':memory:');
  assert.equal(prepareColumn<[], number>(db, `${NUMBERS} LIMIT 2`).all(), [1, 2]);
  db.close();
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { historyViolations, type AckedDocument } from '../support/incarnation-history.js';

const doc = (op: AckedDocument['op'], version: number, born: string, patched: string[] = [], createdAt = `t-${born}`): AckedDocument => ({
  op,
  id: 'k',
  version,
  createdAt,
  data: { born, ...Object.fromEntries(patched.map((key) => [key, true])) },
});

test('history checker: a clean history of two incarnations has no violations', () => {
  const history = [doc('create', 1, 'A'), doc('patch', 2, 'A', ['p1']), doc('create', 4, 'B'), doc('patch', 5, 'B', ['p2']), doc('final', 5, 'B', ['p2'])];
  assert.equal(historyViolations(history), []);
});

test('history checker: the lost-update interleaving (a patch of A lands on re-created B at a reused version) is found', () => {
  // A created at 1, deleted, B created at 1 again; a patch that read A writes A's data as version 2.
  const history = [doc('create', 1, 'A'), doc('create', 1, 'B'), doc('patch', 2, 'A', ['p1'])];
  const violations = historyViolations(history);
  assert.ok(violations.some((v) => v.startsWith('version reused')), violations.join('\n'));
  assert.ok(violations.some((v) => v.includes('outside its incarnation')), violations.join('\n'));
});

test('history checker: a patch acknowledged and then missing from a later answer is a lost write', () => {
  const history = [doc('create', 1, 'A'), doc('patch', 2, 'A', ['p1']), doc('patch', 3, 'A', ['p2'])];
  assert.equal(historyViolations(history), ["patch of 'k' at version 3 (born A) lost acknowledged patch keys p1"]);
});

test('history checker: a final state missing an acknowledged patch is a lost write', () => {
  const history = [doc('create', 1, 'A'), doc('patch', 2, 'A', ['p1']), doc('final', 2, 'A')];
  assert.equal(historyViolations(history), ["final of 'k' at version 2 (born A) lost acknowledged patch keys p1"]);
});

test.run();

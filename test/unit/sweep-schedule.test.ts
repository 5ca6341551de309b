import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SweepSchedule } from '../../shared/infrastructure/mongodb/sweep-schedule.js';

test('a collection never swept is due', () => {
  assert.ok(new SweepSchedule(1_000, 10).claim('c', 0));
});

test('a collection swept within the interval is not due again', () => {
  const sweeps = new SweepSchedule(1_000, 10);
  sweeps.claim('c', 0);
  assert.not.ok(sweeps.claim('c', 999));
});

test('a collection swept an interval ago is due again', () => {
  const sweeps = new SweepSchedule(1_000, 10);
  sweeps.claim('c', 0);
  assert.ok(sweeps.claim('c', 1_000));
});

test('each collection has its own interval', () => {
  const sweeps = new SweepSchedule(1_000, 10);
  sweeps.claim('a', 0);
  assert.ok(sweeps.claim('b', 1));
});

test('no more collections than it remembers are kept, however many are swept', () => {
  const sweeps = new SweepSchedule(1_000, 10);
  for (let i = 0; i < 1_000; i++) sweeps.claim(`made-up-${i}`, i);
  assert.is(sweeps.size, 10);
});

test('the collection swept longest ago is forgotten first, so it is due again', () => {
  const sweeps = new SweepSchedule(1_000, 2);
  sweeps.claim('a', 0);
  sweeps.claim('b', 1);
  sweeps.claim('c', 2);
  assert.not.ok(sweeps.claim('b', 3));
  assert.ok(sweeps.claim('a', 4));
});

test('a sweep again moves a collection to the newest, so it outlives ones swept before it', () => {
  const sweeps = new SweepSchedule(10, 2);
  sweeps.claim('a', 0);
  sweeps.claim('b', 5);
  sweeps.claim('a', 10);
  sweeps.claim('c', 11);
  assert.not.ok(sweeps.claim('a', 12));
  assert.ok(sweeps.claim('b', 13));
});

test.run();

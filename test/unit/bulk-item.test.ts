import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkItem } from '../../functions/create/bulk-item.js';
import { createBody, parseInput } from '../../shared/runtime/http/schemas.js';

/** What parsing with createBody gives, or the message it throws. */
const answer = (parse: () => unknown): unknown => {
  try {
    return { parsed: parse() };
  } catch (error) {
    return { thrown: (error as Error).message };
  }
};

const ITEMS = [
  '{"data":{"a":1,"b":{"c":[1,2]}}}',
  '{"id":"u-1","data":{}}',
  '{"data":{},"id":"u-1"}',
  '{"id":"bad id","data":{}}',
  '{"id":7,"data":{}}',
  '{"id":null,"data":{}}',
  '{"data":[]}',
  '{"data":null}',
  '{"data":"text"}',
  '{}',
  '[]',
  'null',
  '"text"',
  '{"data":{},"extra":1}',
  '{"data":{"__proto__":{"x":1},"a":1}}',
  '{"__proto__":{},"data":{}}',
].map((text) => JSON.parse(text) as unknown);

test('every item gets what createBody answers for it: the same parse, or the same error', () => {
  ITEMS.forEach((item, index) => {
    assert.equal(answer(() => bulkItem(item, index)), answer(() => parseInput(createBody, item, `documents[${index}]`)), JSON.stringify(item));
  });
});

test('an item plainly of the create shape is its own parse: nothing is copied', () => {
  const item = JSON.parse('{"id":"u-1","data":{"a":1}}') as unknown;
  assert.is(bulkItem(item, 0), item);
});

test.run();

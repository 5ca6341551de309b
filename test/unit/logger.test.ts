import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, isoNow } from '../../shared/runtime/observability/logger.js';

function captured(level: 'debug' | 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const log = createLogger({ level, base: { function: 'get' }, write: (line) => lines.push(line) });
  return { log, lines };
}

test('a line is one JSON object: level, timestamp, msg, the base fields, then the caller fields, in that order', () => {
  const { log, lines } = captured();
  const before = Date.now();
  log.info('request', { method: 'GET', status: '200', duration_ms: 1.5, collection: 'c', document_id: undefined });
  const after = Date.now();
  assert.is(lines.length, 1);
  assert.ok(lines[0]!.endsWith('}\n'));
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(Object.keys(line), ['level', 'timestamp', 'msg', 'function', 'method', 'status', 'duration_ms', 'collection']);
  assert.equal(line, { level: 'info', timestamp: line.timestamp, msg: 'request', function: 'get', method: 'GET', status: '200', duration_ms: 1.5, collection: 'c' });
  const at = Date.parse(line.timestamp as string);
  assert.ok(at >= before && at <= after, `${line.timestamp as string} is within the call`);
  assert.is(line.timestamp, new Date(at).toISOString());
});

test('a caller field of the same name as a base field replaces its value in place', () => {
  const { log, lines } = captured();
  log.warn('circuit breaker open', { function: 'other', state: 'open' });
  assert.is(lines[0], `{"level":"warn","timestamp":${JSON.stringify(JSON.parse(lines[0]!).timestamp)},"msg":"circuit breaker open","function":"other","state":"open"}\n`);
});

test('levels below the configured one write nothing', () => {
  const { log, lines } = captured('warn');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.equal(lines.map((l) => JSON.parse(l).level), ['warn', 'error']);
});

test('the timestamp is the current millisecond, formatted again once the clock moves on', async () => {
  let first: string;
  let again: string;
  // Two calls within one millisecond (retried should the clock tick between them) give one string.
  do {
    first = isoNow();
    again = isoNow();
  } while (Date.parse(first) !== Date.now());
  assert.is(again, first);
  assert.is(first, new Date(Date.parse(first)).toISOString());
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = isoNow();
  assert.ok(Date.parse(later) > Date.parse(first));
  assert.ok(Math.abs(Date.parse(later) - Date.now()) <= 1);
});

test.run();

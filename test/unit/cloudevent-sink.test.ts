import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry } from 'prom-client';
import { openCloudEventSink, type CloudEventSinkOptions } from '../../shared/infrastructure/events/cloudevent-sink.js';
import type { DocumentEvent } from '../../shared/domain/events.js';
import { startEventSink, type Answer, type EventSink } from '../support/event-sink.js';
import { freePort } from '../support/processes.js';
import { promisesRetainedBy } from '../support/retained-promises.js';

/** The CloudEvents sink against a real HTTP endpoint, with short backoffs so retries are quick. */
const test = suite<{ sinks: EventSink[] }>('CloudEvent sink', { sinks: [] });
test.after.each(async (ctx) => {
  await Promise.all(ctx.sinks.splice(0).map((sink) => sink.close()));
});

const event = (id: string, version = 1, type: DocumentEvent['type'] = 'document.created'): DocumentEvent => ({
  type,
  collection: 'users',
  id,
  version,
  time: '2026-01-02T03:04:05.000Z',
});

function open(url: string, overrides: Partial<CloudEventSinkOptions> = {}) {
  const registry = new Registry();
  const outages: string[] = [];
  const sink = openCloudEventSink({
    url,
    source: 'create',
    registry,
    onOutage: (state) => outages.push(state),
    retries: 2,
    initialDelayMs: 5,
    maxDelayMs: 20,
    ...overrides,
  });
  const count = async (name: string, labels: Record<string, string> = {}) => {
    const metric = await registry.getSingleMetric(name)!.get();
    const value = metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
    return value?.value ?? 0;
  };
  /** Polls a counter until it reaches `expected` (deliveries settle asynchronously). */
  const until = async (name: string, labels: Record<string, string>, expected: number) => {
    for (let i = 0; i < 500 && (await count(name, labels)) < expected; i++) await new Promise((r) => setTimeout(r, 10));
    return count(name, labels);
  };
  return { sink, count, until, outages };
}

async function sinkFor(ctx: { sinks: EventSink[] }, answer?: Answer): Promise<EventSink> {
  const sink = await startEventSink(answer);
  ctx.sinks.push(sink);
  return sink;
}

test('an event arrives in binary mode with collection, id and version as extensions and as data', async (ctx) => {
  const http = await sinkFor(ctx);
  const { sink } = open(http.url);
  sink.publish(event('u1', 3, 'document.updated'));
  const received = await http.waitFor(() => true);
  assert.is(received.headers['ce-specversion'], '1.0');
  assert.is(received.headers['ce-type'], 'document.updated');
  assert.is(received.headers['ce-source'], '/dbsvc/create');
  assert.is(received.headers['ce-subject'], 'collections/users/documents/u1');
  assert.is(received.headers['ce-time'], '2026-01-02T03:04:05.000Z');
  assert.is(received.headers['ce-collection'], 'users');
  assert.is(received.headers['ce-documentid'], 'u1');
  assert.is(received.headers['ce-documentversion'], '3');
  assert.match(received.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(received.body, { collection: 'users', id: 'u1', version: 3 });
});

test('a sink answering 503 gets the same event again until it accepts it', async (ctx) => {
  const http = await sinkFor(ctx, (_event, attempt) => (attempt < 3 ? 503 : 204));
  const { sink, until, count } = open(http.url);
  sink.publish(event('u2'));
  assert.is(await until('events_delivered_total', {}, 1), 1);
  assert.is(http.received.length, 3);
  assert.is(new Set(http.received.map((r) => r.headers['ce-id'])).size, 1, 'every attempt carries the same ce-id');
  assert.is(await count('events_delivery_failures_total'), 0);
});

test('a 400 from the sink is not retried and counts as rejected', async (ctx) => {
  const http = await sinkFor(ctx, () => 400);
  const { sink, until } = open(http.url);
  sink.publish(event('u3'));
  assert.is(await until('events_delivery_failures_total', { reason: 'rejected' }, 1), 1);
  assert.is(http.received.length, 1);
});

test('a sink nobody listens on counts the event as unreachable once the retries are spent', async () => {
  const { sink, until, outages } = open(`http://127.0.0.1:${await freePort()}/`);
  sink.publish(event('u4'));
  sink.publish(event('u5'));
  assert.is(await until('events_delivery_failures_total', { reason: 'unreachable' }, 2), 2);
  assert.equal(outages, ['failing'], 'the outage is told once, not per event');
});

test('an event that finds the queue full is dropped and counted as queue_full', async (ctx) => {
  const http = await sinkFor(ctx, () => 'hold');
  const { sink, until } = open(http.url, { concurrency: 1, queueLimit: 1 });
  sink.publish(event('held'));
  sink.publish(event('queued'));
  sink.publish(event('dropped'));
  assert.is(await until('events_delivery_failures_total', { reason: 'queue_full' }, 1), 1);
  await sink.drain(0);
});

test('drain waits for the deliveries still under way', async (ctx) => {
  const http = await sinkFor(ctx, (_event, attempt) => (attempt === 1 ? 503 : 204));
  const { sink, count } = open(http.url, { initialDelayMs: 100, maxDelayMs: 100 });
  sink.publish(event('late'));
  await sink.drain(10_000);
  assert.is(await count('events_delivered_total'), 1);
  assert.is(http.received.length, 2);
});

test('drain gives up at its timeout and counts what is left as shutdown', async (ctx) => {
  const http = await sinkFor(ctx, () => 'hold');
  const { sink, count } = open(http.url);
  sink.publish(event('a'));
  sink.publish(event('b'));
  await http.waitFor(() => http.received.length === 2);
  await sink.drain(50);
  assert.is(await count('events_delivery_failures_total', { reason: 'shutdown' }), 2);
});

test('drain gives up at its timeout with events still waiting in the queue, and counts every one as shutdown', async (ctx) => {
  const http = await sinkFor(ctx, () => 'hold');
  const { sink, count } = open(http.url, { concurrency: 2, queueLimit: 100 });
  for (let i = 0; i < 10; i++) sink.publish(event(`e${i}`));
  await http.waitFor(() => http.received.length === 2);
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), 3000)));
  const outcome = await Promise.race([sink.drain(50).then(() => 'drained' as const), stuck]);
  clearTimeout(timer);
  assert.is(outcome, 'drained', 'the drain must end soon after its timeout, not wait on the queued events');
  assert.is(await count('events_delivery_failures_total', { reason: 'shutdown' }), 10);
});

test('what deliveries leave retained does not grow with their number: nothing per event once each has settled', async () => {
  // A sink that accepts every event at once, without sockets whose own promises would be counted too.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(null, { status: 202 });
  try {
    const { sink, count } = open('http://sink.invalid/');
    const deliveries = 500;
    const retained = await promisesRetainedBy(async () => {
      for (let i = 0; i < deliveries; i++) sink.publish(event(`r${i}`));
      await sink.drain(10_000);
    });
    assert.is(await count('events_delivered_total'), deliveries);
    // Racing each delivery against one never-settling promise kept two per event (1,001 here) for the sink's life.
    assert.ok(retained < 20, `${retained} promises of ${deliveries} deliveries are still reachable`);
  } finally {
    globalThis.fetch = realFetch;
  }
});

test.run();

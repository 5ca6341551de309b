import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Counter from 'prom-client/lib/counter.js';
import Histogram from 'prom-client/lib/histogram.js';
import Registry from 'prom-client/lib/registry.js';
import { LATENCY_BUCKETS } from '../../shared/runtime/observability/metrics.js';
import { timedCounter } from '../../shared/runtime/observability/timed-counter.js';

const COUNTER = { name: 'things_total', help: 'Things done.' };
const HISTOGRAM = { name: 'thing_duration_seconds', help: 'Time a thing took.' };
const LABELS = ['method', 'route', 'status'] as const;

/** The same observations through prom-client's own Counter and Histogram, and through a timed counter. */
function both() {
  const expected = new Registry();
  const actual = new Registry();
  for (const registry of [expected, actual]) registry.setDefaultLabels({ function: 'get' });
  const counter = new Counter({ ...COUNTER, labelNames: LABELS, registers: [expected] });
  const histogram = new Histogram({ ...HISTOGRAM, labelNames: LABELS, buckets: LATENCY_BUCKETS, registers: [expected] });
  const timed = timedCounter(actual, { labelNames: LABELS, counter: COUNTER, histogram: { ...HISTOGRAM, buckets: LATENCY_BUCKETS } });
  const record = (labels: Record<(typeof LABELS)[number], string>, seconds: number) => {
    counter.inc(labels);
    histogram.observe(labels, seconds);
    timed.series(labels).record(seconds);
  };
  return { expected, actual, record, counter, histogram, timed };
}

const GET = { method: 'GET', route: '/v1/collections/:collection/documents/:id', status: '200' };
const MISSING = { method: 'GET', route: '/v1/collections/:collection/documents/:id', status: '404' };
const ODD = { method: '_OTHER', route: 'un"matched\\', status: '405' };

function observeSome(record: (labels: typeof GET, seconds: number) => void): void {
  // Below the first bound, on a bound, between bounds, past the last one; series in a mixed order.
  for (const [labels, seconds] of [[GET, 0.0001], [MISSING, 0.001], [GET, 0.0013], [ODD, 7], [GET, 0.0025], [MISSING, 5], [GET, 0.1 + 0.2]] as const) {
    record(labels, seconds);
  }
}

test('the exposition is the text prom-client gives for the same counts and durations', async () => {
  const { expected, actual, record } = both();
  assert.is(await actual.metrics(), await expected.metrics());
  observeSome(record);
  const text = await actual.metrics();
  assert.is(text, await expected.metrics());
  assert.match(text, /^things_total\{method="GET",route="\/v1\/collections\/:collection\/documents\/:id",status="200",function="get"\} 4$/m);
  assert.match(text, /^thing_duration_seconds_bucket\{le="\+Inf",function="get",method="GET",route="[^"]+",status="200"\} 4$/m);
});

test('get() gives the values prom-client gives (labels merged), as the JSON registry and tests read them', async () => {
  const { record, counter, histogram, timed } = both();
  observeSome(record);
  assert.equal(await timed.counter.get(), await counter.get());
  assert.equal(await timed.histogram.get(), await histogram.get());
});

test('a reset of the registry empties both, as it empties prom-client metrics', async () => {
  const { expected, actual, record } = both();
  observeSome(record);
  expected.resetMetrics();
  actual.resetMetrics();
  assert.is(await actual.metrics(), await expected.metrics());
  observeSome(record);
  assert.is(await actual.metrics(), await expected.metrics());
});

test('a label set is one series however its labels object is built', () => {
  const timed = timedCounter(new Registry(), { labelNames: LABELS, counter: COUNTER, histogram: { ...HISTOGRAM, buckets: [1] } });
  assert.is(timed.series({ status: '200', route: 'r', method: 'GET' }), timed.series({ method: 'GET', route: 'r', status: '200' }));
  assert.is.not(timed.series({ method: 'GET', route: 'r', status: '200' }), timed.series({ method: 'GET', route: 'r2', status: '00' }));
});

test.run();

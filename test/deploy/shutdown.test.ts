import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../shared/runtime/config/function-config.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { ofKind } from '../support/manifests.js';
import { ROOT } from '../support/processes.js';
import { container, environmentOf, knativeService, podSpec, sidecar } from '../support/workloads.js';

/**
 * Graceful shutdown, one figure everywhere: 15 s (the requirement, and the configuration's default), with each
 * pod's grace period covering what happens before and during it.
 */
const DRAIN = 15;
/**
 * Knative's queue-proxy, on termination, keeps serving for this long after the last request (drainSleepDuration
 * in knative.dev/serving v0.42.2, pkg/queue/sharedmain/main.go); the function's preStop hook waits for it, so
 * the function is sent SIGTERM only after it. The pod's grace period, Knative's timeoutSeconds, covers both.
 */
const KNATIVE_QUEUE_PROXY_DRAIN = 30;

test('every ConfigMap sets the same 15 s drain, the configuration default', () => {
  const drains = ofKind('ConfigMap', 'v1').map((cm) => cm.data.SHUTDOWN_TIMEOUT_SECONDS);
  assert.equal(drains, ['15', '15']);
  assert.is(configSchema.shape.SHUTDOWN_TIMEOUT_SECONDS.parse(undefined), DRAIN);
});

test("each function's timeoutSeconds (its pods' grace period) covers the queue-proxy's drain and then its own", () => {
  for (const op of FUNCTION_NAMES) {
    const service = knativeService(op);
    const drain = Number(environmentOf(container(service)).SHUTDOWN_TIMEOUT_SECONDS);
    assert.is(drain, DRAIN, op);
    const grace = service.spec.template.spec.timeoutSeconds;
    assert.ok(grace >= KNATIVE_QUEUE_PROXY_DRAIN + drain + 5, `${op}: timeoutSeconds ${grace} ≥ ${KNATIVE_QUEUE_PROXY_DRAIN} + ${drain} + 5 spare`);
  }
});

test("the sidecar's grace period covers its preStop pause and then its drain", () => {
  const c = container(sidecar());
  const drain = Number(environmentOf(c).SHUTDOWN_TIMEOUT_SECONDS);
  assert.is(drain, DRAIN);
  const pause = c.lifecycle.preStop.sleep.seconds;
  assert.ok(pause > 0, 'endpoints drop the pod before it stops accepting calls');
  assert.ok(podSpec(sidecar()).terminationGracePeriodSeconds >= pause + drain + 5);
});

test("the sidecar's longest call (GRPC_DEFAULT_TIMEOUT_SECONDS) fits in the functions' timeoutSeconds", () => {
  const callSeconds = Number(environmentOf(container(sidecar())).GRPC_DEFAULT_TIMEOUT_SECONDS);
  for (const op of FUNCTION_NAMES) assert.ok(knativeService(op).spec.template.spec.timeoutSeconds >= callSeconds, op);
});

test('docs/knative.md states the same figures', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'knative.md'), 'utf8');
  assert.match(doc, `timeoutSeconds: ${knativeService('get').spec.template.spec.timeoutSeconds}`);
  assert.match(doc, `${DRAIN} s drain`);
  assert.match(doc, `${KNATIVE_QUEUE_PROXY_DRAIN} s`);
});

test.run();

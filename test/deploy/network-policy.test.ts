import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ofKind } from '../support/manifests.js';
import { allowed, type Connection, type Endpoint, type Pod } from '../support/network-policy.js';
import { knativeService, kustomization, sidecar } from '../support/workloads.js';

/**
 * The network fence of knative/networkpolicy.yaml as a specification: each flow the design needs is allowed,
 * and the ones it does not need are refused, decided by NetworkPolicy semantics (test/support/network-policy.ts).
 */
const NS = kustomization().namespace as string;
const policies = ofKind('NetworkPolicy', 'networking.k8s.io/v1');
const can = (from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => allowed(policies, NS, { from, to, port, protocol } as Connection);

// The pods of the set carry their template's labels (Knative adds its own beside them).
const fn: Pod = { namespace: NS, labels: { ...knativeService('get').spec.template.metadata.labels, 'serving.knative.dev/service': 'dbsvc-get' } };
const grpcSidecar: Pod = { namespace: NS, labels: sidecar().spec.template.metadata.labels };
const activator: Pod = { namespace: 'knative-serving', labels: { app: 'activator' } };
const autoscaler: Pod = { namespace: 'knative-serving', labels: { app: 'autoscaler' } };
const kourier: Pod = { namespace: 'kourier-system', labels: { app: '3scale-kourier-gateway' } };
const broker: Pod = { namespace: 'knative-eventing', labels: { 'eventing.knative.dev/brokerRole': 'ingress' } };
const dns: Pod = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const prometheus: Pod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
const client: Pod = { namespace: 'shop', labels: { app: 'checkout', 'dbsvc.io/client': 'true' } };
const stranger: Pod = { namespace: 'shop', labels: { app: 'checkout' } };
const neighbour: Pod = { namespace: NS, labels: { app: 'something-else' } };
const mongodbAtlas = { external: 'cluster0.mongodb.net' };
const somewhere = { external: 'api.example.net' };

const QUEUE_PROXY = { http1: 8012, http2: 8013, https: 8112, metrics: 9090 };

test('every pod of the namespace is fenced: nothing reaches it, and it reaches only the cluster DNS', () => {
  assert.not.ok(can(stranger, neighbour, 8080));
  assert.not.ok(can(grpcSidecar, neighbour, 8080));
  assert.not.ok(can(neighbour, somewhere, 443));
  assert.ok(can(neighbour, dns, 53, 'UDP'));
});

test("Knative's activator and ingress reach a function's queue-proxy, and its autoscaler the queue-proxy's metrics", () => {
  for (const port of [QUEUE_PROXY.http1, QUEUE_PROXY.http2, QUEUE_PROXY.https]) {
    assert.ok(can(activator, fn, port), `activator → ${port}`);
    assert.ok(can(kourier, fn, port), `ingress → ${port}`);
  }
  assert.ok(can(autoscaler, fn, QUEUE_PROXY.metrics));
});

test("nothing else reaches a function, nor anyone its own port past the queue-proxy", () => {
  for (const from of [stranger, client, grpcSidecar, neighbour, prometheus]) assert.not.ok(can(from, fn, QUEUE_PROXY.http1));
  assert.not.ok(can(activator, fn, 8080), 'port 8080 is reached only from inside the pod');
});

test('clients labelled dbsvc.io/client reach the sidecar from any namespace; other pods do not', () => {
  const port = 50051;
  assert.ok(can(client, grpcSidecar, port));
  assert.ok(can({ namespace: 'billing', labels: { 'dbsvc.io/client': 'true' } }, grpcSidecar, port));
  assert.not.ok(can(stranger, grpcSidecar, port));
  assert.not.ok(can(client, grpcSidecar, 9464), 'clients do not reach metrics');
});

test("only Prometheus in monitoring reaches the sidecar's metrics port", () => {
  assert.ok(can(prometheus, grpcSidecar, 9464));
  assert.not.ok(can(stranger, grpcSidecar, 9464));
});

test('the functions reach MongoDB and Redis wherever they run, the eventing broker (K_SINK) and DNS, nothing more', () => {
  assert.ok(can(fn, mongodbAtlas, 27017));
  assert.ok(can(fn, { namespace: 'databases', labels: { app: 'redis' } }, 6379));
  assert.ok(can(fn, broker, 8080));
  assert.ok(can(fn, dns, 53, 'UDP'));
  assert.ok(can(fn, dns, 53, 'TCP'));
  assert.not.ok(can(fn, somewhere, 443));
  assert.not.ok(can(fn, { namespace: 'default', labels: {} }, 8080));
  assert.not.ok(can(fn, grpcSidecar, 50051));
});

test("the sidecar reaches the functions only through Knative's internal ingress, and DNS", () => {
  assert.ok(can(grpcSidecar, kourier, 8081));
  assert.ok(can(grpcSidecar, dns, 53, 'UDP'));
  assert.not.ok(can(grpcSidecar, fn, QUEUE_PROXY.http1));
  assert.not.ok(can(grpcSidecar, mongodbAtlas, 27017));
  assert.not.ok(can(grpcSidecar, somewhere, 443));
});

test('the model itself: a pod no policy selects is open, a selected one is closed except for what a rule allows', () => {
  const open = allowed([], NS, { from: stranger, to: neighbour, port: 1 });
  const only80 = [{ spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] } }];
  assert.ok(open);
  assert.ok(allowed(only80, NS, { from: stranger, to: neighbour, port: 80 }));
  assert.not.ok(allowed(only80, NS, { from: stranger, to: neighbour, port: 81 }));
});

test.run();

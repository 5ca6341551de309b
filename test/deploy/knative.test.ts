import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { configSchema, loadConfig } from '../../shared/runtime/config/function-config.js';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { loadSidecarConfig, sidecarSchema } from '../../shared/runtime/config/sidecar-config.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { ownNodeFlags } from '../../shared/runtime/startup/node-flags.js';
import { request } from '../support/http.js';
import { find, manifestFiles, ofKind, resources } from '../support/manifests.js';
import { tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';
import { container, environmentOf, KNATIVE, knativeService, knativeServices, kustomization, podFieldVariables, sidecar, workloads } from '../support/workloads.js';

/**
 * The knative/ set, checked without a cluster: each resource against the Knative and Kubernetes schemas, then
 * the references between them and to the code (bundles, probe paths, ports, configuration variables).
 * `npm run validate:deploy` runs the upstream Knative and Kubernetes validation on the rendered set as well.
 */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'serving.knative.dev/v1/Service': KnativeService,
};

const FUNCTION_VARIABLES = new Set(Object.keys(configSchema.shape));
const SIDECAR_VARIABLES = new Set(Object.keys(sidecarSchema.shape));

test('every resource validates against its Knative or Kubernetes schema', () => {
  const all = resources();
  assert.ok(all.length >= 20, `found ${all.length} resources`);
  for (const { file, doc } of all) {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    assert.ok(Model, `${file}: ${doc.apiVersion} ${doc.kind} is not a kind this set is checked for`);
    try {
      new Model!(doc).validate();
    } catch (error) {
      assert.unreachable(`${file} ${doc.kind} ${doc.metadata?.name}: ${(error as Error).message}`);
    }
  }
});

test('the kustomization lists every manifest file exactly once and puts everything in the namespace it creates', () => {
  const k = kustomization();
  assert.is(k.kind, 'Kustomization');
  const listed = [...k.resources].sort();
  assert.equal(listed, manifestFiles().filter((f) => f !== 'kustomization.yaml'));
  assert.is(new Set(listed).size, listed.length);
  assert.is(find('Namespace', k.namespace).metadata.name, k.namespace);
  for (const { doc } of resources()) assert.is(doc.metadata.namespace, undefined, `${doc.kind} ${doc.metadata.name} names no namespace of its own`);
});

test('every function is one Knative Service running its own bundle, and the kustomization sets the one image', () => {
  assert.equal(knativeServices().map((s) => s.metadata.name).sort(), FUNCTION_NAMES.map((op) => `dbsvc-${op}`).sort());
  for (const op of FUNCTION_NAMES) assert.equal(container(knativeService(op)).args, [...ownNodeFlags(op), `dist/functions/${op}.mjs`]);
  const images = new Set(workloads().map((w) => container(w).image));
  assert.equal([...images], [kustomization().images[0].name]);
});

test('every function autoscales on concurrency and scales to zero', () => {
  for (const op of FUNCTION_NAMES) {
    const template = knativeService(op).spec.template;
    const a = template.metadata.annotations;
    assert.is(a['autoscaling.knative.dev/class'], 'kpa.autoscaling.knative.dev', `${op}: scale to zero needs the KPA`);
    assert.is(a['autoscaling.knative.dev/metric'], 'concurrency');
    assert.is(a['autoscaling.knative.dev/min-scale'], '0');
    const target = Number(a['autoscaling.knative.dev/target']);
    const maxScale = Number(a['autoscaling.knative.dev/max-scale']);
    assert.ok(Number.isInteger(target) && target > 0, `${op}: target`);
    assert.ok(Number.isInteger(maxScale) && maxScale > 0, `${op}: max-scale`);
    assert.ok(template.spec.containerConcurrency >= target, `${op}: the soft target stays under the hard containerConcurrency`);
  }
});

test('every function has resources and probes on its own port', () => {
  for (const op of FUNCTION_NAMES) {
    const c = container(knativeService(op));
    assert.is(c.ports.length, 1);
    const port = c.ports[0].containerPort;
    assert.is(c.readinessProbe.httpGet.path, '/readyz');
    assert.is(c.livenessProbe.httpGet.path, '/healthz');
    assert.is(c.readinessProbe.httpGet.port, port);
    assert.is(c.livenessProbe.httpGet.port, port);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory, `${op}: requests and a memory limit`);
  }
});

test("the functions' probe paths answer 200 on a started function", async () => {
  const paths = new Set(FUNCTION_NAMES.flatMap((op) => [container(knativeService(op)).readinessProbe, container(knativeService(op)).livenessProbe].map((p) => p.httpGet.path)));
  const data = tempDir('dbsvc-probes');
  const fn = await startFunction('get', { DATA_DIR: data.path });
  try {
    for (const path of paths) assert.is((await request(fn.url, 'GET', path)).status, 200, path);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('every ConfigMap a container refers to exists, with every key it names', () => {
  for (const workload of workloads()) {
    const c = container(workload);
    for (const from of c.envFrom ?? []) if (from.configMapRef) find('ConfigMap', from.configMapRef.name);
    for (const entry of c.env ?? []) {
      const cm = entry.valueFrom?.configMapKeyRef;
      if (cm) assert.ok(cm.key in find('ConfigMap', cm.name).data, `${workload.metadata.name}: ${cm.name} has ${cm.key}`);
    }
  }
});

test('every variable a container gets is one its configuration knows, or a pod field used to build one', () => {
  const checked = [
    ...knativeServices().map((workload) => ({ workload, known: FUNCTION_VARIABLES, schema: 'function-config.ts' })),
    { workload: sidecar(), known: SIDECAR_VARIABLES, schema: 'sidecar-config.ts' },
  ];
  for (const { workload, known, schema } of checked) {
    const c = container(workload);
    const helpers = podFieldVariables(c);
    for (const name of Object.keys(environmentOf(c))) {
      assert.ok(known.has(name) || helpers.has(name), `${workload.metadata.name}: ${name} is not in shared/runtime/config/${schema}`);
    }
  }
});

test("a function's environment passes the configuration check, auth on, with the Secret an operator creates", () => {
  for (const op of FUNCTION_NAMES) {
    const config = loadConfig(environmentOf(container(knativeService(op))));
    assert.is(config.STORE, 'mongodb');
    assert.ok(config.AUTH_MODE !== 'none', `${op}: auth is on`);
    assert.ok(config.API_KEYS, `${op}: API keys come from the Secret`);
  }
});

test('every role the policy grants to is a key name of the Secret an operator is told to create', () => {
  const config = loadConfig(environmentOf(container(knativeService('get'))));
  const keyNames = new Set(config.API_KEYS!.map((k) => k.name));
  for (const role of config.AUTH_POLICY!.grants.keys()) assert.ok(keyNames.has(role), `role ${role} has a key`);
});

test("the sidecar's environment passes its configuration check and names each function's cluster-local URL in its own namespace", () => {
  for (const namespace of [kustomization().namespace, 'another-namespace']) {
    const env = environmentOf(container(sidecar()), namespace);
    const config = loadSidecarConfig(env);
    for (const op of FUNCTION_NAMES) {
      assert.is(env[FUNCTION_URL_VARIABLES[op]], `http://${knativeService(op).metadata.name}.${namespace}.svc.cluster.local`);
    }
    assert.is(config.GRPC_READINESS_POLL_SECONDS, 0, 'polling readiness would keep every function awake');
  }
});

test('no manifest writes out the namespace: only the Namespace and the kustomization name it', () => {
  const namespace = kustomization().namespace;
  for (const { file, doc } of resources()) {
    if (doc.kind === 'Namespace') continue;
    const text = JSON.stringify(doc);
    assert.not.ok(text.includes(`.${namespace}.`) || text.includes(`.${namespace}"`), `${file} ${doc.kind} ${doc.metadata.name} names the namespace ${namespace}`);
  }
});

test('the sidecar listens and is served on GRPC_PORT, its metrics and probes on GRPC_METRICS_PORT', () => {
  const c = container(sidecar());
  const env = environmentOf(c);
  const ports = Object.fromEntries(c.ports.map((p: any) => [p.name, p.containerPort]));
  assert.equal(ports, { grpc: Number(env.GRPC_PORT), 'http-metrics': Number(env.GRPC_METRICS_PORT) });
  assert.is(c.readinessProbe.httpGet.port, Number(env.GRPC_METRICS_PORT));
  assert.is(c.livenessProbe.httpGet.port, Number(env.GRPC_METRICS_PORT));
  const service = find('Service', 'dbsvc-grpc-sidecar', 'v1');
  assert.is(service.spec.ports.length, 1);
  assert.is(service.spec.ports[0].targetPort, 'grpc');
  assert.equal(service.spec.selector, sidecar().spec.selector.matchLabels);
});

test('the sidecar scales on CPU 70 % and memory 80 % and keeps two pods through disruptions', () => {
  const deployment = sidecar();
  const podLabels = deployment.spec.template.metadata.labels;
  for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) assert.is(podLabels[key], value);
  const hpa = find('HorizontalPodAutoscaler', 'dbsvc-grpc-sidecar');
  assert.equal(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
  const targets = Object.fromEntries(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target]));
  assert.equal(targets, { cpu: { type: 'Utilization', averageUtilization: 70 }, memory: { type: 'Utilization', averageUtilization: 80 } });
  assert.ok(container(deployment).resources.requests.cpu && container(deployment).resources.requests.memory, 'utilization needs requests');
  const pdb = find('PodDisruptionBudget', 'dbsvc-grpc-sidecar');
  assert.is(pdb.spec.minAvailable, 2);
  assert.equal(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
  assert.ok(hpa.spec.minReplicas > pdb.spec.minAvailable, 'one pod can always be evicted');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { find, resources } from '../support/manifests.js';
import { podSpec, workloads } from '../support/workloads.js';

/** Each part runs under its own ServiceAccount, and no pod gets a Kubernetes API token it has no use for. */
test('every workload runs under a ServiceAccount of the set, never the namespace default', () => {
  for (const workload of workloads()) {
    const name = podSpec(workload).serviceAccountName;
    assert.ok(name && name !== 'default', `${workload.metadata.name}: serviceAccountName ${name}`);
    find('ServiceAccount', name);
  }
});

test('the functions and the sidecar run under different ServiceAccounts', () => {
  const names = new Set(workloads().map((w) => podSpec(w).serviceAccountName));
  assert.is(names.size, 2);
});

test('no ServiceAccount of the set mounts an API token, and no pod asks for one back', () => {
  for (const { doc } of resources().filter((r) => r.doc.kind === 'ServiceAccount')) {
    assert.is(doc.automountServiceAccountToken, false, doc.metadata.name);
  }
  for (const workload of workloads()) assert.is.not(podSpec(workload).automountServiceAccountToken, true, workload.metadata.name);
});

test('the set grants no Kubernetes API permission (no Role, ClusterRole or binding)', () => {
  const rbac = resources().filter((r) => r.doc.apiVersion?.startsWith('rbac.authorization.k8s.io/'));
  assert.equal(rbac.map((r) => `${r.doc.kind}/${r.doc.metadata.name}`), []);
});

test.run();

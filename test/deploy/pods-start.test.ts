import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imageUser } from '../support/dockerfile.js';
import { runAsNonRootRefusal } from '../support/kubelet.js';
import { container, podSpec, workloads } from '../support/workloads.js';

/**
 * "Pods can start": the kubelet's runAsNonRoot check (test/support/kubelet.ts) on every container of the set
 * with the image's own user. The API server accepts a pod that fails it, so schema validation cannot catch it.
 */
test('every container of the set passes the kubelet runAsNonRoot check with the image the Dockerfile builds', () => {
  for (const workload of workloads()) {
    const c = container(workload);
    assert.is(c.securityContext?.runAsNonRoot, true, `${workload.metadata.name} asks for a non-root user`);
    assert.is(runAsNonRootRefusal(podSpec(workload), c, imageUser()), undefined, workload.metadata.name);
  }
});

test('the image alone passes the check too, for a pod that sets runAsNonRoot but no runAsUser', () => {
  const bare = { name: 'bare', securityContext: { runAsNonRoot: true } };
  assert.is(runAsNonRootRefusal({}, bare, imageUser()), undefined);
});

test('the check refuses what the set used to ship: USER nonroot in the image and no runAsUser', () => {
  const old = { name: 'function', securityContext: { runAsNonRoot: true } };
  assert.match(runAsNonRootRefusal({}, old, 'nonroot') ?? '', /image has non-numeric user \(nonroot\), cannot verify user is non-root/);
  assert.match(runAsNonRootRefusal({}, old, '0:0') ?? '', /image will run as root/);
  assert.match(runAsNonRootRefusal({}, old, '') ?? '', /image will run as root/);
  assert.match(runAsNonRootRefusal({}, { ...old, securityContext: { runAsNonRoot: true, runAsUser: 0 } }, '65532') ?? '', /runAsUser breaks non-root policy/);
});

test("a container's runAsUser wins over the pod's, as the kubelet resolves it", () => {
  const pod = { securityContext: { runAsNonRoot: true, runAsUser: 0 } };
  assert.is(runAsNonRootRefusal(pod, { name: 'c', securityContext: { runAsUser: 65532 } }, 'nonroot'), undefined);
  assert.ok(runAsNonRootRefusal(pod, { name: 'c' }, '65532'));
});

test('every container runs with the numeric ids of the image user', () => {
  const [uid, gid] = imageUser().split(':').map(Number);
  for (const workload of workloads()) {
    const sc = container(workload).securityContext;
    assert.equal([sc.runAsUser, sc.runAsGroup], [uid, gid], workload.metadata.name);
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoChecker } from '../support/go-checker.js';
import { resources } from '../support/manifests.js';
import { ROOT, tempDir } from '../support/processes.js';

/**
 * The rendered set through the upstream code that judges it in a cluster (test/deploy/validate: kustomize's
 * renderer, Knative Serving's webhook validation, the Kubernetes API server's create strategies, the
 * "restricted" Pod Security Standard). The first build takes minutes (docs/knative.md "Checks"), then a second.
 */
const validator = buildGoChecker('validate');

function validate(dir: string, ...flags: string[]): { status: number | null; lines: string[] } {
  const result = spawnSync(validator, [...flags, dir], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.trim().split('\n') };
}

test("knative/ renders as kubectl apply -k would, and every object passes Knative's or Kubernetes' validation", () => {
  const { status, lines } = validate('knative');
  assert.equal(lines.filter((l) => !l.startsWith('ok ')), [`${resources().length} objects, 0 with errors`]);
  assert.is(status, 0);
});

test('moved to another namespace by an overlay, the set is still valid', () => {
  const { status, lines } = validate('test/deploy/validate/other-namespace');
  assert.ok(lines.includes('ok   v1 Namespace/dbsvc-elsewhere'), lines.join('\n'));
  assert.is(status, 0, lines.join('\n'));
});

test('the cert-manager overlay renders, and all but its cert-manager objects pass validation', () => {
  const { status, lines } = validate('deploy/cert-manager', '-unchecked', 'cert-manager.io');
  assert.equal(lines.filter((l) => !l.startsWith('ok ') && !l.startsWith('unchecked cert-manager.io/v1 ')), [`${resources().length + 5} objects, 0 with errors`]);
  assert.is(status, 0);
});

test('the validator refuses what the upstream code refuses: Knative limits, Kubernetes fields, Pod Security', () => {
  const dir = tempDir('dbsvc-invalid-set');
  try {
    writeFileSync(join(dir.path, 'kustomization.yaml'), 'namespace: x\nresources: [bad.yaml]\n');
    writeFileSync(
      join(dir.path, 'bad.yaml'),
      [
        'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: f}\nspec:\n  template:\n    spec:\n      containerConcurrency: 5000\n      containers: [{image: i}]',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: -1\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: i, securityContext: {runAsUser: 0}}]',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nunknownField: 1',
      ].join('\n---\n'),
    );
    const { status, lines } = validate(dir.path);
    const text = lines.join('\n');
    assert.is(status, 1);
    assert.match(text, /FAIL serving.knative.dev\/v1 Service\/f: .*containerConcurrency/);
    assert.match(text, /FAIL apps\/v1 Deployment\/d: .*spec.replicas/);
    assert.match(text, /FAIL apps\/v1 Deployment\/d: pod security \(restricted\): runAsUser=0/);
    assert.match(text, /FAIL v1 ConfigMap\/c: .*unknownField/);
  } finally {
    dir.remove();
  }
});

test.run();

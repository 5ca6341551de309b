import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import { HealthClient } from '../../grpc-sidecar/health-client.js';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { createCertificateAuthority } from '../support/certificates.js';
import { find } from '../support/manifests.js';
import { DIST, freePort, ROOT, spawnNode, tempDir, waitUntilReady } from '../support/processes.js';
import { container, environmentOf, sidecar } from '../support/workloads.js';

/**
 * The sidecar serves TLS from a mounted kubernetes.io/tls Secret, and its probes keep working: the kubelet's
 * gRPC probe speaks plaintext only, so they go to the plain-HTTP port, which mirrors grpc.health.v1.
 */
const c = () => container(sidecar());
const env = () => environmentOf(c());
const volumeOf = (mountPath: string) => {
  const mount = c().volumeMounts.find((m: any) => m.mountPath === mountPath);
  assert.ok(mount, `a volume is mounted at ${mountPath}`);
  return sidecar().spec.template.spec.volumes.find((v: any) => v.name === mount.name);
};
const overlayDir = join(ROOT, 'deploy', 'cert-manager');
const overlay = () => parse(readFileSync(join(overlayDir, 'kustomization.yaml'), 'utf8'));
const certificates = () => readFileSync(join(overlayDir, 'certificates.yaml'), 'utf8').split(/^---$/m).map((d) => parse(d)).filter(Boolean);

test('TLS is on: the certificate and key are the tls.crt and tls.key of the mounted Secret dbsvc-grpc-tls', () => {
  const { GRPC_TLS_CERT_FILE: cert, GRPC_TLS_KEY_FILE: key } = env();
  assert.is(dirname(cert!), dirname(key!));
  assert.equal([cert!.split('/').at(-1), key!.split('/').at(-1)], ['tls.crt', 'tls.key']);
  const volume = volumeOf(dirname(cert!));
  assert.is(volume.secret.secretName, 'dbsvc-grpc-tls');
  assert.is(volume.secret.defaultMode, 0o440, 'the key is readable by the pod group only');
  assert.is(sidecar().spec.template.spec.securityContext.fsGroup, c().securityContext.runAsGroup);
});

test('the probes are plain HTTP on GRPC_METRICS_PORT, never on the TLS port', () => {
  assert.is(c().readinessProbe.grpc, undefined);
  assert.is(c().livenessProbe.grpc, undefined);
  assert.equal([c().readinessProbe.httpGet.path, c().livenessProbe.httpGet.path], ['/readyz', '/healthz']);
  assert.is(c().readinessProbe.httpGet.port, Number(env().GRPC_METRICS_PORT));
  assert.is.not(Number(env().GRPC_METRICS_PORT), Number(env().GRPC_PORT));
});

test('the cert-manager overlay issues that Secret for the sidecar Service in its namespace and turns on mutual TLS', () => {
  const k = overlay();
  assert.equal(k.resources, ['../../knative', 'certificates.yaml']);
  const server = certificates().find((d: any) => d.kind === 'Certificate' && d.spec.secretName === 'dbsvc-grpc-tls');
  assert.ok(server, 'a Certificate writes dbsvc-grpc-tls');
  const service = find('Service', 'dbsvc-grpc-sidecar', 'v1').metadata.name;
  assert.ok(server.spec.dnsNames.includes(`${service}.${k.namespace}.svc`), `names ${service}.${k.namespace}.svc`);
  assert.ok(server.spec.usages.includes('server auth'));
  const patch = parse(k.patches[0].patch) as Array<{ path: string; value: string }>;
  const set = Object.fromEntries(patch.map((op) => [op.path.replace('/data/', ''), op.value]));
  assert.is(set.GRPC_TLS_CLIENT_AUTH, 'require');
  assert.is(dirname(set.GRPC_TLS_CA_FILE!), dirname(env().GRPC_TLS_CERT_FILE!), 'the CA comes from the same Secret');
  assert.is(set.GRPC_TLS_CA_FILE!.split('/').at(-1), 'ca.crt');
  assert.is(k.patches[0].target.name, 'dbsvc-grpc-sidecar-config');
});

test("with TLS on, a started sidecar answers its manifest's probes and grpc.health.v1 over TLS only", async () => {
  const dir = tempDir('dbsvc-deploy-tls');
  const ca = createCertificateAuthority(dir.path, 'ca');
  const server = ca.issue('server', 'server');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const urls = Object.fromEntries(FUNCTION_NAMES.map((op) => [FUNCTION_URL_VARIABLES[op], `http://127.0.0.1:${port}`]));
  const process = spawnNode(join(DIST, 'grpc-sidecar.mjs'), {
    ...urls,
    GRPC_PORT: String(port),
    GRPC_METRICS_PORT: String(metricsPort),
    GRPC_READINESS_POLL_SECONDS: env().GRPC_READINESS_POLL_SECONDS,
    GRPC_TLS_CERT_FILE: server.certFile,
    GRPC_TLS_KEY_FILE: server.keyFile,
    LOG_LEVEL: 'warn',
  });
  try {
    const base = `http://127.0.0.1:${metricsPort}`;
    await waitUntilReady(`${base}${c().readinessProbe.httpGet.path}`, process);
    assert.is((await fetch(`${base}${c().livenessProbe.httpGet.path}`)).status, 200);
    const tls = new HealthClient(`localhost:${port}`, grpc.credentials.createSsl(readFileSync(ca.certFile)));
    const plaintext = new HealthClient(`127.0.0.1:${port}`);
    try {
      assert.is(await tls.check('', 10_000), 'SERVING');
      assert.ok(await plaintext.check('', 2_000).then(() => false, () => true), 'a plaintext probe (the kubelet gRPC one) fails');
    } finally {
      tls.close();
      plaintext.close();
    }
  } finally {
    await process.stop();
    dir.remove();
  }
});

test('/readyz mirrors grpc.health.v1: 503 while the functions are not ready, /healthz 200 all the same', async () => {
  const metricsPort = await freePort();
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const urls = Object.fromEntries(FUNCTION_NAMES.map((op) => [FUNCTION_URL_VARIABLES[op], nobody]));
  const process = spawnNode(join(DIST, 'grpc-sidecar.mjs'), { ...urls, GRPC_PORT: '0', GRPC_METRICS_PORT: String(metricsPort), GRPC_READINESS_POLL_SECONDS: '1', LOG_LEVEL: 'warn' });
  try {
    const base = `http://127.0.0.1:${metricsPort}`;
    await waitUntilReady(`${base}/healthz`, process);
    assert.is((await fetch(`${base}/readyz`)).status, 503);
  } finally {
    await process.stop();
  }
});

test.run();

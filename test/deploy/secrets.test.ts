import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resources } from '../support/manifests.js';
import { DIST, freePort, ROOT, spawnNode } from '../support/processes.js';
import { container, environmentOf, knativeService, workloads } from '../support/workloads.js';

/**
 * No usable credential ships: the set holds no Secret, the operator creates the ones it reads (docs/knative.md
 * says how), and a function given an example key refuses to start instead of accepting it.
 */
const docs = readFileSync(join(ROOT, 'docs', 'knative.md'), 'utf8');

/** The shell command of docs/knative.md that starts with `start`, its continued lines (ending in `\`) included. */
function shellCommand(start: RegExp): string | undefined {
  const lines = docs.split('\n');
  const first = lines.findIndex((line) => start.test(line));
  if (first === -1) return undefined;
  let last = first;
  while (lines[last]!.endsWith('\\')) last++;
  return lines.slice(first, last + 1).join('\n');
}

/** The Secrets (and their keys) the workloads read; the TLS one is mounted whole. */
function secretsRead(): Map<string, Set<string>> {
  const read = new Map<string, Set<string>>();
  const add = (name: string, key?: string) => {
    if (!read.has(name)) read.set(name, new Set());
    if (key) read.get(name)!.add(key);
  };
  for (const workload of workloads()) {
    const c = container(workload);
    for (const from of c.envFrom ?? []) if (from.secretRef) add(from.secretRef.name);
    for (const entry of c.env ?? []) if (entry.valueFrom?.secretKeyRef) add(entry.valueFrom.secretKeyRef.name, entry.valueFrom.secretKeyRef.key);
    for (const volume of workload.spec.template.spec.volumes ?? []) if (volume.secret) add(volume.secret.secretName);
  }
  return read;
}

test('the set ships no Secret', () => {
  assert.equal(resources().filter((r) => r.doc.kind === 'Secret').map((r) => r.file), []);
});

test('docs/knative.md tells the operator to create every Secret the workloads read, with each key they read', () => {
  for (const [name, keys] of secretsRead()) {
    const command = shellCommand(new RegExp(`kubectl -n \\S+ create secret (generic|tls) ${name}\\b`));
    assert.ok(command, `docs/knative.md creates the Secret ${name}`);
    for (const key of keys) assert.ok(command!.includes(`--from-literal=${key}=`), `${name}: the command sets ${key}`);
  }
});

const EXAMPLE_KEYS = ['example-client:REPLACE-ME-with-a-long-random-key', 'client:changeme-changeme-changeme', 'client:aaaaaaaaaaaaaaaaaaaaaaaa'];

for (const keys of EXAMPLE_KEYS) {
  test(`a function given API_KEYS=${keys.split(':')[0]}:<${keys.split(':')[1]!.slice(0, 10)}…> exits non-zero at start, naming API_KEYS`, async () => {
    const env = environmentOf(container(knativeService('get')));
    const role = keys.split(':')[0]!;
    const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), {
      ...env,
      API_KEYS: keys,
      AUTH_POLICY: JSON.stringify({ [role]: { '*': ['read'] } }),
      PORT: String(await freePort()),
    });
    const { code } = await fn.exited;
    assert.is.not(code, 0);
    assert.match(fn.output(), /API_KEYS=\(secret\): entry 1 \('[^']+'\): the secret is a placeholder/);
    assert.not.match(fn.output(), keys.split(':')[1]!, 'the secret itself is not printed');
  });
}

test.run();

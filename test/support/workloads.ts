import { randomBytes } from 'node:crypto';
import { find, ofKind, parseManifestFile } from './manifests.js';

/** The knative/ set's workloads and what their containers get, as a cluster would resolve them. */
export const KNATIVE = 'serving.knative.dev/v1';
export const knativeService = (op: string) => find('Service', `dbsvc-${op}`, KNATIVE);
export const knativeServices = () => ofKind('Service', KNATIVE);
export const sidecar = () => find('Deployment', 'dbsvc-grpc-sidecar');
export const container = (workload: any) => workload.spec.template.spec.containers[0];
export const podSpec = (workload: any) => workload.spec.template.spec;
export const kustomization = () => parseManifestFile('kustomization.yaml')[0]!.doc;
/** Every workload of the set: the Knative Services and the sidecar's Deployment. */
export const workloads = () => [...knativeServices(), sidecar()];

/**
 * The Secrets the set reads but does not ship, as an operator creates them with docs/knative.md's commands:
 * real-looking values (random keys), never placeholders.
 */
export const OPERATOR_SECRETS: Record<string, Record<string, string>> = {
  'dbsvc-secrets': {
    MONGODB_URI: `mongodb://dbsvc:${randomBytes(18).toString('hex')}@mongodb.dbsvc.svc.cluster.local:27017/dbsvc?authSource=admin`,
    REDIS_URL: `redis://:${randomBytes(18).toString('hex')}@redis.dbsvc.svc.cluster.local:6379`,
    API_KEYS: `client:${randomBytes(32).toString('base64')}`,
  },
};

function secretValue(name: string, key: string): string {
  const value = OPERATOR_SECRETS[name]?.[key];
  if (value === undefined) throw new Error(`no Secret ${name} with ${key} among the ones the operator creates`);
  return value;
}

/**
 * The environment a container gets in `namespace`: its ConfigMaps and Secrets (envFrom), then its own env
 * entries in order, with the pod's own fields (downward API) and `$(VAR)` references expanded as the kubelet
 * expands them (from the variables defined before).
 */
export function environmentOf(c: any, namespace = kustomization().namespace as string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, find('ConfigMap', from.configMapRef.name).data);
    if (from.secretRef) Object.assign(env, OPERATOR_SECRETS[from.secretRef.name]);
  }
  for (const entry of c.env ?? []) {
    const { configMapKeyRef: cm, secretKeyRef: secret, fieldRef } = entry.valueFrom ?? {};
    if (entry.value !== undefined) env[entry.name] = expandVariables(entry.value, env);
    else if (cm) env[entry.name] = find('ConfigMap', cm.name).data[cm.key];
    else if (secret) env[entry.name] = secretValue(secret.name, secret.key);
    else if (fieldRef?.fieldPath === 'metadata.namespace') env[entry.name] = namespace;
    else throw new Error(`${c.name}: env ${entry.name} has a source this helper does not know`);
  }
  return env;
}

/** `$(VAR)` expanded from the variables defined so far; an unknown reference stays as written, as in Kubernetes. */
export function expandVariables(value: string, defined: Record<string, string>): string {
  return value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => defined[name] ?? whole);
}

/** Variables that come from the pod itself (downward API) to build others, not settings the code reads. */
export function podFieldVariables(c: any): Set<string> {
  return new Set((c.env ?? []).filter((e: any) => e.valueFrom?.fieldRef).map((e: any) => e.name));
}

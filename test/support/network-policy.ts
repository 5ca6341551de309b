/**
 * Kubernetes NetworkPolicy semantics, for deciding on paper whether one connection is allowed: a pod selected
 * by some policy for a direction accepts only what one of those policies' rules allows; policies add up; a
 * pod no policy selects is open. Covers what the set uses: pod and namespace selectors (matchLabels and
 * matchExpressions), numeric ports with protocols, and peers outside the cluster (any address).
 */
export interface Pod {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}
/** An address outside the cluster (a managed MongoDB, an external API). */
export interface External {
  readonly external: string;
}
export type Endpoint = Pod | External;

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

const isPod = (e: Endpoint): e is Pod => 'namespace' in e;
/** Every namespace carries its own name as this label (Kubernetes sets it). */
const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function matches(selector: any, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    const has = key in labels;
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function peerMatches(peer: any, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) throw new Error('ipBlock peers are not modelled here');
  if (!isPod(endpoint)) return false;
  const inNamespace = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(endpoint.namespace)) : endpoint.namespace === policyNamespace;
  return inNamespace && (!peer.podSelector || matches(peer.podSelector, endpoint.labels));
}

function ruleAllows(rule: any, peers: any[] | undefined, other: Endpoint, c: Connection, policyNamespace: string): boolean {
  const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, other, policyNamespace));
  const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p: any) => (p.protocol ?? 'TCP') === (c.protocol ?? 'TCP') && (p.port === undefined || (c.port >= p.port && c.port <= (p.endPort ?? p.port))));
  return peerOk && portOk;
}

function types(policy: any): string[] {
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
}

/** Whether `c` is allowed by the policies, all of them in `namespace`. */
export function allowed(policies: readonly any[], namespace: string, c: Connection): boolean {
  const selecting = (pod: Endpoint, type: string) => (isPod(pod) && pod.namespace === namespace ? policies.filter((p) => types(p).includes(type) && matches(p.spec.podSelector, pod.labels)) : []);
  const egress = selecting(c.from, 'Egress');
  if (egress.length && !egress.some((p) => (p.spec.egress ?? []).some((rule: any) => ruleAllows(rule, rule.to, c.to, c, namespace)))) return false;
  const ingress = selecting(c.to, 'Ingress');
  if (ingress.length && !ingress.some((p) => (p.spec.ingress ?? []).some((rule: any) => ruleAllows(rule, rule.from, c.from, c, namespace)))) return false;
  return true;
}

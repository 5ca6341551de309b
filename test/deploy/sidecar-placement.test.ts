import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { find } from '../support/manifests.js';
import { podSpec, sidecar } from '../support/workloads.js';

/**
 * Three sidecars from the start, kept apart: on three nodes they land on three different ones, so a node lost
 * costs one of them; the autoscaler can still add pods beyond the number of nodes.
 */
const REQUIRED_REPLICAS = 3;
const spec = () => podSpec(sidecar());
const podLabels = () => sidecar().spec.template.metadata.labels as Record<string, string>;
const selects = (selector: any) => Object.entries(selector.matchLabels ?? {}).every(([k, v]) => podLabels()[k] === v);

test('the Deployment starts at three replicas, which is also the autoscaler minimum', () => {
  assert.is(sidecar().spec.replicas, REQUIRED_REPLICAS);
  assert.is(find('HorizontalPodAutoscaler', 'dbsvc-grpc-sidecar').spec.minReplicas, REQUIRED_REPLICAS);
});

test("the sidecar's pod anti-affinity keeps its own pods on different nodes", () => {
  const terms = spec().affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
  const byNode = terms.find((t: any) => t.podAffinityTerm.topologyKey === 'kubernetes.io/hostname');
  assert.ok(byNode, 'a term on kubernetes.io/hostname');
  assert.is(byNode.weight, 100);
  assert.ok(selects(byNode.podAffinityTerm.labelSelector), 'its selector matches the sidecar pods themselves');
});

/**
 * The scheduler's PodTopologySpread filter for one hard constraint: a node is feasible for the next pod if,
 * with the pod on it, its count exceeds the least-loaded node's by at most maxSkew.
 */
function feasible(counts: number[], node: number, maxSkew: number): boolean {
  return counts[node]! + 1 - Math.min(...counts) <= maxSkew;
}
/** Every way the filter lets `pods` pods be placed on `nodes` nodes, one after another; [] if some pod cannot be placed. */
function placements(pods: number, nodes: number, maxSkew: number, counts = new Array(nodes).fill(0)): number[][] {
  if (pods === 0) return [counts];
  const out: number[][] = [];
  for (let n = 0; n < nodes; n++) {
    if (!feasible(counts, n, maxSkew)) continue;
    const next = [...counts];
    next[n]++;
    out.push(...placements(pods - 1, nodes, maxSkew, next));
  }
  return out;
}
const hardSpread = () => {
  const hard = spec().topologySpreadConstraints.filter((c: any) => c.whenUnsatisfiable === 'DoNotSchedule');
  assert.is(hard.length, 1);
  return hard[0];
};

test('the hard spread constraint is per node and counts the sidecar pods themselves', () => {
  const c = hardSpread();
  assert.is(c.topologyKey, 'kubernetes.io/hostname');
  assert.ok(selects(c.labelSelector));
  assert.is(c.nodeTaintsPolicy, 'Honor', 'nodes the pod cannot run on do not hold the spread back');
});

test('on three nodes, three sidecars always land on three different nodes', () => {
  const all = placements(REQUIRED_REPLICAS, 3, hardSpread().maxSkew);
  assert.ok(all.length > 0);
  for (const counts of all) assert.equal(counts, [1, 1, 1]);
});

test('with fewer nodes than pods every pod still schedules, up to the autoscaler maximum', () => {
  const max = find('HorizontalPodAutoscaler', 'dbsvc-grpc-sidecar').spec.maxReplicas;
  assert.ok(placements(REQUIRED_REPLICAS, 2, hardSpread().maxSkew).length > 0, 'three pods on two nodes');
  const onThree = placements(max, 3, hardSpread().maxSkew);
  assert.ok(onThree.length > 0, `${max} pods on three nodes`);
  for (const counts of onThree) assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
});

test('the filter model refuses a second pod on a node while another node is empty', () => {
  assert.not.ok(feasible([1, 0, 0], 0, 1));
  assert.ok(feasible([1, 0, 0], 1, 1));
});

test.run();

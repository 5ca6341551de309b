import type { FunctionName } from '../http/routes.js';

/**
 * The Node flags every function process runs with, wherever it runs: the image's ENTRYPOINT (Knative, compose),
 * the local stack's fleet and `npm run bench`. Node 24's V8 lets the young generation grow to two 64 MiB
 * semi-spaces under load, which is most of a busy function's memory: at 100 connections a get held 215 MiB
 * resident with 15–60 MiB of live heap. With 8 MiB semi-spaces it holds ~110 MiB at the same throughput and
 * CPU per request (BENCHMARKS.md, "Memory at 100 connections").
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * Flags a function adds after FUNCTION_NODE_FLAGS (where a V8 flag is given twice, the later value holds): the
 * image's manifests pass them before the bundle, in `args` (Knative) or `command` (compose).
 *
 * The query gets 16 MiB semi-spaces. Each answer is a page of documents (7 KB for 20); with 100 requests in
 * flight an 8 MiB young generation fills while many pages are still live, and they are copied and promoted.
 * With 16 MiB the indexed query spent 67–79 µs of CPU per request against 102–109, and its peak RSS fell from
 * 241–284 to 161–225 MiB. Creates showed no such gain, and hold more memory with 16 MiB
 * (BENCHMARKS.md, "Young generation per function").
 */
const OWN_FLAGS: Partial<Record<FunctionName, readonly string[]>> = {
  query: ['--max-semi-space-size=16'],
};

/** What one function adds after FUNCTION_NODE_FLAGS; empty for most. */
export function ownNodeFlags(name: FunctionName): readonly string[] {
  return OWN_FLAGS[name] ?? [];
}

/** Every Node flag the function runs with, in order. */
export function functionNodeFlags(name: FunctionName): string[] {
  return [...FUNCTION_NODE_FLAGS, ...ownNodeFlags(name)];
}

/**
 * The Node flags a function process runs with, wherever it runs: the image's ENTRYPOINT (Knative, compose),
 * the local stack's fleet and `npm run bench`. Node 24's V8 lets the young generation grow to two 64 MiB
 * semi-spaces under load, which is most of a busy function's memory: at 100 connections a get held 215 MiB
 * resident with 15–60 MiB of live heap. With 8 MiB semi-spaces it holds ~110 MiB at the same throughput and
 * CPU per request (BENCHMARKS.md, "Memory at 100 connections").
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

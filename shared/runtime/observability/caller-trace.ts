import type { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The caller's trace id, kept for the log lines of its request while tracing is off (no span is started then,
 * so no span context carries it): logs still correlate with the caller's trace and with the other processes
 * the request passed through. Only requests that bring a `traceparent` enter a context, and the storage is
 * made on the first of them, so a process's start never loads it (cold start).
 */
let callerTrace: AsyncLocalStorage<string> | undefined;

/** W3C Trace Context: version-traceid-parentid-flags, lower-case hex; all-zero ids and version ff are invalid. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  if (!match || match[1] === 'ff' || match[2] === ZERO_TRACE_ID || match[3] === ZERO_PARENT_ID) return undefined;
  return match[2];
}

/** Runs `work` with the trace id of `traceparent` as the caller's, when it is a valid one. */
export function withCallerTrace<T>(traceparent: string | undefined, work: () => T): T {
  const traceId = traceIdOf(traceparent);
  if (traceId === undefined) return work();
  callerTrace ??= new (process.getBuiltinModule('node:async_hooks').AsyncLocalStorage)<string>();
  return callerTrace.run(traceId, work);
}

/** The trace id of the request this code runs for, when its caller sent one. */
export function callerTraceId(): string | undefined {
  return callerTrace?.getStore();
}

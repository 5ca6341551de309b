import { isSpanContextValid, trace } from '@opentelemetry/api';
import { isoTimestampAt } from '../../domain/timestamps.js';
import { callerTraceId } from './caller-trace.js';
import { stdoutLines } from './stdout-lines.js';

/** Fields a log line may carry (docs/api.md "Observability"); never a secret and never a document body. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Log {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const LEVELS = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * JSON logs, one object a line: `level`, `timestamp`, `msg`, the base fields (`function`), `trace_id` and
 * `span_id` of the active span (when tracing runs; with it off, the caller's `trace_id` from its traceparent),
 * then the caller's fields. A level below `level` is a no-op. No logging library: the line is this one object,
 * and a library's parsing at start (tslog's was 29 KiB, a seventh of a function's code) is cold-start time.
 */
export function createLogger(options: { level: LogLevel; base?: LogFields; write?: (line: string) => void }): Log {
  const write = options.write ?? stdoutLines();
  const base = options.base ?? {};
  const at = (level: 'debug' | 'info' | 'warn' | 'error'): Log[typeof level] =>
    LEVELS[level] < LEVELS[options.level]
      ? () => undefined
      : (msg, fields) => write(`${JSON.stringify({ level, timestamp: isoNow(), msg, ...base, ...traceFields(), ...fields })}\n`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `new Date().toISOString()`, without a Date per line: the string is formatted once per millisecond. */
export function isoNow(): string {
  return isoTimestampAt(Date.now());
}

/**
 * The ids of the span this line is written in. With tracing off no span is active: then the trace id the
 * request's caller sent, if any (there is no span of this process to name).
 */
function traceFields(): LogFields | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (context && isSpanContextValid(context)) return { trace_id: context.traceId, span_id: context.spanId };
  const callerTrace = callerTraceId();
  return callerTrace === undefined ? undefined : { trace_id: callerTrace };
}

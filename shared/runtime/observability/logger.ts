import { isSpanContextValid, trace } from '@opentelemetry/api';
import { Logger as TsLogger } from 'tslog';
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

type Line = { msg: string; fields: LogFields | undefined };

/**
 * JSON logs, one object a line: `level`, `timestamp`, `msg`, the base fields (`function`), `trace_id` and
 * `span_id` of the active span (when tracing runs; with it off, the caller's `trace_id` from its traceparent),
 * then the caller's fields. tslog does level filtering and
 * the pipeline; its own `_meta` shape is replaced by the flat shape docs/api.md pins.
 */
export function createLogger(options: { level: LogLevel; base?: LogFields; write?: (line: string) => void }): Log {
  const write = options.write ?? stdoutLines();
  const base = options.base ?? {};
  const logger = new TsLogger<Line>({
    type: 'json',
    minLevel: LEVELS[options.level],
    hideLogPositionForProduction: true,
    // Fields are flat values chosen by the caller and never secrets, so tslog's default masking (a deep clone
    // of every line's arguments) buys nothing and is most of a line's cost.
    maskValuesOfKeys: [],
    overwrite: {
      toLogObj: (args) => ({ msg: String(args[0]), fields: args[1] as LogFields | undefined }),
      addMeta: (line, _id, levelName) =>
        ({ level: levelName.toLowerCase(), timestamp: new Date().toISOString(), msg: line.msg, ...base, ...traceFields(), ...line.fields }) as never,
      transportJSON: (json) => write(`${JSON.stringify(json)}\n`),
    },
  });
  return {
    debug: (msg, fields) => void logger.debug(msg, fields),
    info: (msg, fields) => void logger.info(msg, fields),
    warn: (msg, fields) => void logger.warn(msg, fields),
    error: (msg, fields) => void logger.error(msg, fields),
  };
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

import type { DocumentEventSink } from '../../domain/ports.js';
import type { Config } from '../config/function-config.js';
import { fanOut, logEvents } from './log-events.js';
import type { Log } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { FunctionName } from '../http/routes.js';

/** Where a function's domain events go: always the log; CloudEvents to K_SINK when Knative sets it. */
export interface EventSinks {
  readonly events: DocumentEventSink;
  /** Delivers what is still queued, giving up after `timeoutMs` (the shutdown's budget). */
  drain(timeoutMs: number): Promise<void>;
}

export async function openEventSinks(config: Config, name: FunctionName, log: Log, metrics: Metrics): Promise<EventSinks> {
  const logs = logEvents(log);
  if (!config.K_SINK) return { events: logs, drain: async () => undefined };
  // The CloudEvents SDK is loaded only when a sink is configured: no cost at a cold start without one.
  const { openCloudEventSink } = await import('../../infrastructure/events/cloudevent-sink.js');
  const cloud = openCloudEventSink({
    url: config.K_SINK,
    source: name,
    registry: metrics.registry,
    onOutage: (state, detail) =>
      state === 'failing'
        ? log.warn('change events are not being delivered; counting them in events_delivery_failures_total', { sink: config.K_SINK, detail })
        : log.info('change events are delivered again', { sink: config.K_SINK }),
  });
  return { events: fanOut([logs, cloud]), drain: (timeoutMs) => cloud.drain(timeoutMs) };
}

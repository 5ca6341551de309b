import type { DocumentEvent } from '../../domain/events.js';
import type { DocumentEventSink } from '../../domain/ports.js';
import type { Log } from '../observability/logger.js';

/** Logs each domain event once: `{"msg":"document created","collection":…,"document_id":…,"version":…}`. */
export function logEvents(log: Log): DocumentEventSink {
  return {
    publish(event: DocumentEvent) {
      log.info(event.type.replace('.', ' '), { collection: event.collection, document_id: event.id, version: event.version });
    },
  };
}

/** Fans one event out to several sinks (logs, CloudEvents); a sink must not throw, but one that does stays alone. */
export function fanOut(sinks: readonly DocumentEventSink[]): DocumentEventSink {
  return {
    publish(event) {
      for (const sink of sinks) {
        try {
          sink.publish(event);
        } catch {
          // A sink failure must never fail the change that already happened.
        }
      }
    },
  };
}

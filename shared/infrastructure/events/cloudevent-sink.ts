import { CloudEvent, HTTP } from 'cloudevents';
import { BulkheadRejectedError, ExponentialBackoff, bulkhead, handleWhen, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import Counter from 'prom-client/lib/counter.js';
import type { Registry } from 'prom-client';
import type { DocumentEvent } from '../../domain/events.js';
import type { DocumentEventSink } from '../../domain/ports.js';

/**
 * Sends each domain event as a CloudEvent (binary HTTP mode) to the sink Knative names in K_SINK.
 *
 * What a consumer receives:
 * - `ce-type` `document.created` | `document.updated` | `document.deleted`; `ce-source` `/dbsvc/<function>`;
 *   `ce-subject` `collections/<collection>/documents/<id>`; `ce-time` the change's time; `ce-id` a UUID.
 * - The extensions `ce-collection`, `ce-documentid` and `ce-documentversion` (the version after the change; for
 *   a delete, the version deleted), so a Knative Trigger can filter on them.
 * - The same three as the JSON body: `{"collection": …, "id": …, "version": …}`.
 *
 * Delivery never holds up the change that caused it: `publish` only enqueues. A bounded number of deliveries
 * run at once, a bounded queue waits behind them, and an event that finds the queue full is dropped. Each
 * delivery is retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx. Every event
 * that is not delivered counts in `events_delivery_failures_total{reason}`.
 */
export interface CloudEventSinkOptions {
  readonly url: string;
  /** The producing function, e.g. `create`; becomes the `source`. */
  readonly source: string;
  readonly registry: Registry;
  /** Told once when deliveries start failing and once when they succeed again. */
  readonly onOutage: (state: 'failing' | 'recovered', detail: string) => void;
  readonly concurrency?: number;
  readonly queueLimit?: number;
  readonly retries?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly attemptTimeoutMs?: number;
}

export interface CloudEventSink extends DocumentEventSink {
  /** Waits for queued and in-flight deliveries; past `timeoutMs` the rest are abandoned as `shutdown`. */
  drain(timeoutMs: number): Promise<void>;
}

export type DeliveryFailure = 'rejected' | 'unreachable' | 'queue_full' | 'shutdown';

/** The sink answered with a status a retry cannot change (a 4xx other than 408 and 429). */
class SinkRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly retriable: boolean,
  ) {
    super(`the event sink answered ${status}`);
  }
}

const EXTENSIONS = { collection: 'collection', id: 'documentid', version: 'documentversion' } as const;

export function toCloudEvent(event: DocumentEvent, source: string): CloudEvent<{ collection: string; id: string; version: number }> {
  return new CloudEvent({
    type: event.type,
    source: `/dbsvc/${source}`,
    subject: `collections/${event.collection}/documents/${event.id}`,
    time: event.time,
    datacontenttype: 'application/json',
    data: { collection: event.collection, id: event.id, version: event.version },
    [EXTENSIONS.collection]: event.collection,
    [EXTENSIONS.id]: event.id,
    [EXTENSIONS.version]: event.version,
  });
}

export function openCloudEventSink(options: CloudEventSinkOptions): CloudEventSink {
  const failures = new Counter({
    name: 'events_delivery_failures_total',
    help: 'Change events not delivered to K_SINK, by reason (rejected, unreachable, queue_full, shutdown).',
    labelNames: ['reason'],
    registers: [options.registry],
  });
  const delivered = new Counter({ name: 'events_delivered_total', help: 'Change events delivered to K_SINK.', registers: [options.registry] });

  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5000;
  const policy = wrap(
    bulkhead(options.concurrency ?? 8, options.queueLimit ?? 1000),
    retry(
      handleWhen((error) => !(error instanceof SinkRejectedError) || error.retriable),
      {
        maxAttempts: options.retries ?? 4,
        backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 100, maxDelay: options.maxDelayMs ?? 5000 }),
      },
    ),
    timeout(attemptTimeoutMs, TimeoutStrategy.Aggressive),
  );
  const abandon = new AbortController();
  /**
   * What fails each unsettled delivery, called when the drain gives up: cockatiel's bulkhead rejects a queued
   * call only when a slot frees, and each rejected one frees none, so most of a full queue would otherwise never
   * settle and the drain would outlive the shutdown timeout (the process then exits 1 without closing its store).
   * One entry per delivery, removed when it settles: racing each against one shared never-settling promise
   * would leave a reaction on that promise per event for the life of the process.
   */
  const abandoners = new Set<(error: Error) => void>();
  const pending = new Set<Promise<void>>();
  let failing = false;

  /** One attempt; every attempt of one event sends the same message, so the sink can drop duplicates by `id`. */
  const send = async (message: { headers: Record<string, string>; body: string }, signal: AbortSignal): Promise<void> => {
    const response = await fetch(options.url, { method: 'POST', headers: message.headers, body: message.body, signal });
    await response.body?.cancel();
    if (!response.ok) {
      const status = response.status;
      throw new SinkRejectedError(status, status === 408 || status === 429 || status >= 500);
    }
  };

  const reasonOf = (error: unknown): DeliveryFailure => {
    if (abandon.signal.aborted) return 'shutdown';
    if (error instanceof BulkheadRejectedError) return 'queue_full';
    return error instanceof SinkRejectedError ? 'rejected' : 'unreachable';
  };

  return {
    publish(event) {
      const { headers, body } = HTTP.binary(toCloudEvent(event, options.source));
      const message = { headers: headers as Record<string, string>, body: body as string };
      const delivery = new Promise<void>((resolve, reject) => {
        abandoners.add(reject);
        policy
          .execute(({ signal }) => send(message, signal), abandon.signal)
          .then(resolve, reject)
          .finally(() => abandoners.delete(reject));
      })
        .then(
          () => {
            delivered.inc();
            if (failing) options.onOutage('recovered', options.url);
            failing = false;
          },
          (error: unknown) => {
            const reason = reasonOf(error);
            failures.inc({ reason });
            if (!failing && reason !== 'shutdown') options.onOutage('failing', `${reason}: ${error instanceof Error ? error.message : String(error)}`);
            failing = reason !== 'shutdown';
          },
        )
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    },

    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          abandon.abort();
          const abandoned = new Error('change event abandoned at shutdown');
          for (const reject of abandoners) reject(abandoned);
          resolve();
        }, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...pending]), deadline]);
      clearTimeout(timer);
      // After an abandon, the cancelled deliveries settle at once; wait so their failures are counted.
      await Promise.allSettled([...pending]);
    },
  };
}

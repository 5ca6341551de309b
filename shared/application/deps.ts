import type { Clock, DocumentEventSink, DocumentStore, IdGenerator } from '../domain/ports.js';

/** What every use case needs; a function's entry point wires the adapters. */
export interface UseCaseDeps {
  readonly store: DocumentStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: DocumentEventSink;
}

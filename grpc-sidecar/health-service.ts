import type * as grpc from '@grpc/grpc-js';
import type { HealthImplementation } from 'grpc-health-check';

interface WatchCall {
  readonly request: { service: string };
  on(event: 'cancelled', listener: () => void): unknown;
  write(message: { status: string }): unknown;
  end(): void;
}

/**
 * Serves grpc.health.v1.Health from `health` on `server` and returns what ends every open Watch. A Watch
 * streams until its client goes, and a graceful server shutdown waits for every open call: without ending
 * them, one watching load balancer would hold the sidecar's exit for the whole SHUTDOWN_TIMEOUT_SECONDS.
 *
 * Only the `services` the sidecar reports on reach the library's Watch: it keeps a map entry for every
 * service name ever watched and never removes it, so a client watching names it makes up (each up to the
 * 4 MiB message limit) would grow the sidecar's memory without bound. Any other name is answered
 * SERVICE_UNKNOWN, as the library would, and its stream stays open until the client goes, as the health
 * protocol asks; our set of services never changes, so nothing more is ever sent on it.
 */
export function addHealthService(server: grpc.Server, health: HealthImplementation, services: readonly string[]): () => void {
  const known = new Set(services);
  const watches = new Set<WatchCall>();
  health.addToServer({
    addService: (service, implementation) => {
      const watch = implementation.watch as (call: WatchCall) => void;
      server.addService(service as unknown as grpc.ServiceDefinition, {
        ...implementation,
        watch: (call: WatchCall) => {
          watches.add(call);
          call.on('cancelled', () => watches.delete(call));
          if (known.has(call.request.service)) watch(call);
          else call.write({ status: 'SERVICE_UNKNOWN' });
        },
      } as grpc.UntypedServiceImplementation);
    },
  });
  return () => {
    for (const call of watches) call.end();
    watches.clear();
  };
}

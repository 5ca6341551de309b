import type * as grpc from '@grpc/grpc-js';
import type { HealthImplementation } from 'grpc-health-check';

interface WatchCall {
  on(event: 'cancelled', listener: () => void): unknown;
  end(): void;
}

/**
 * Serves grpc.health.v1.Health from `health` on `server` and returns what ends every open Watch. A Watch
 * streams until its client goes, and a graceful server shutdown waits for every open call: without ending
 * them, one watching load balancer would hold the sidecar's exit for the whole SHUTDOWN_TIMEOUT_SECONDS.
 */
export function addHealthService(server: grpc.Server, health: HealthImplementation): () => void {
  const watches = new Set<WatchCall>();
  health.addToServer({
    addService: (service, implementation) => {
      const watch = implementation.watch as (call: WatchCall) => void;
      server.addService(service as unknown as grpc.ServiceDefinition, {
        ...implementation,
        watch: (call: WatchCall) => {
          watches.add(call);
          call.on('cancelled', () => watches.delete(call));
          watch(call);
        },
      } as grpc.UntypedServiceImplementation);
    },
  });
  return () => {
    for (const call of watches) call.end();
    watches.clear();
  };
}

import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { service as healthService, type ServingStatus } from 'grpc-health-check';

const check = healthService.Check as MethodDefinition<{ service: string }, { status: ServingStatus }>;

/** A grpc.health.v1.Health client: what a load balancer or the local stack asks the sidecar. */
export class HealthClient {
  readonly #client: grpc.Client;

  /** Plaintext unless given credentials (e.g. TLS that trusts the sidecar's CA). */
  constructor(address: string, credentials = grpc.credentials.createInsecure()) {
    this.#client = new grpc.Client(address, credentials);
  }

  /** The service's status; rejects with the gRPC error (e.g. UNAVAILABLE while nothing listens). */
  check(service = '', timeoutMs = 1_000): Promise<ServingStatus> {
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service },
        { deadline: Date.now() + timeoutMs },
        (error, response) => (error ? reject(error) : resolve(response!.status)),
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}

import { Metadata, type StatusObject } from '@grpc/grpc-js';
import { grpcMessageOf, grpcStatusOf, outcomeOf, type FunctionOutcome } from './grpc-status.js';
import { toProblem } from '../shared/runtime/http/problem.js';

/** A function answered with an error status, or did not answer in time. */
export class FunctionCallFailedError extends Error {
  override readonly name = 'FunctionCallFailedError';

  constructor(
    readonly outcome: FunctionOutcome,
    message: string,
    readonly retryAfter?: string,
  ) {
    super(message);
  }

  static fromReply(reply: { status: number; text: string; retryAfter: string | undefined }): FunctionCallFailedError {
    return new FunctionCallFailedError(outcomeOf(reply.status, reply.text), grpcMessageOf(reply.status, reply.text), reply.retryAfter);
  }
}

/**
 * Any failure of a call → the gRPC status to send. A function's answer goes through the shared table; the
 * sidecar's own failures (bad request shape, unreachable function) become problems as in `problem.ts` first,
 * so both take the same road. Retry-After travels as trailing metadata.
 */
export function toGrpcError(error: unknown): StatusObject & Error {
  if (error instanceof FunctionCallFailedError) return grpcError(error.outcome, error.message, error.retryAfter);
  const { problem, headers } = toProblem(error);
  return grpcError(problem.status, problem.detail, headers['Retry-After']);
}

function grpcError(outcome: FunctionOutcome, details: string, retryAfter: string | undefined): StatusObject & Error {
  const metadata = new Metadata();
  if (retryAfter !== undefined) metadata.set('retry-after', retryAfter);
  return Object.assign(new Error(details), { code: grpcStatusOf(outcome), details, metadata });
}

import { Metadata, type StatusObject } from '@grpc/grpc-js';
import type { Violation } from '../shared/domain/errors.js';
import { BODY, inGrpcFields, SAME_NAMES, type FieldNames } from './field-names.js';
import { grpcStatusOf, outcomeOf, refusalOf, type FunctionOutcome } from './grpc-status.js';
import { toProblem } from '../shared/runtime/http/problem.js';

/** A function answered with an error status, or did not answer in time. */
export class FunctionCallFailedError extends Error {
  override readonly name = 'FunctionCallFailedError';

  constructor(
    readonly outcome: FunctionOutcome,
    message: string,
    readonly retryAfter?: string,
    /** The problem's `errors`, in the REST request's names. */
    readonly errors: readonly Violation[] = [],
  ) {
    super(message);
  }

  static fromReply(reply: { status: number; text: string; retryAfter: string | undefined }): FunctionCallFailedError {
    const { message, errors } = refusalOf(reply.status, reply.text);
    return new FunctionCallFailedError(outcomeOf(reply.status, reply.text), message, reply.retryAfter, errors);
  }
}

/**
 * Any failure of a call → the gRPC status to send. A function's answer goes through the shared table; the
 * sidecar's own failures (bad request shape, unreachable function) become problems as in `problem.ts` first,
 * so both take the same road. Retry-After travels as trailing metadata. `fields`: the RPC's REST names that
 * its request message spells otherwise.
 */
export function toGrpcError(error: unknown, fields: FieldNames = SAME_NAMES): StatusObject & Error {
  if (error instanceof FunctionCallFailedError) {
    return grpcError(error.outcome, messageOf(error.outcome, error.message, error.errors, fields), error.retryAfter);
  }
  const { problem, headers } = toProblem(error);
  return grpcError(problem.status, messageOf(problem.status, problem.detail, problem.errors ?? [], fields), headers['Retry-After']);
}

/**
 * A refusal with `errors` (invalid input, a reused idempotency key) names each path in the request message's
 * terms: `path: message; path: message`. A detail may lead with context before its errors' text (a bulk update
 * names the document it stopped at), which is kept. A 413 names the field the RPC sends as its body, where one
 * does. Otherwise the detail stands as it is. The same for a call's status and for a batch item's problem.
 */
export function messageOf(outcome: FunctionOutcome, detail: string, errors: readonly Violation[], fields: FieldNames): string {
  if (outcome === 413) return tooLarge(detail, fields);
  if (errors.length === 0) return detail;
  const told = textOf(errors);
  const context = detail.endsWith(told) ? detail.slice(0, -told.length) : '';
  return context + textOf(inGrpcFields(errors, fields));
}

/** Too large names no path of its own: it is the whole body, which `fields` may name as one field of the request. */
function tooLarge(detail: string, fields: FieldNames): string {
  const field = fields.get(BODY);
  return field === undefined ? detail : `${field}: ${detail}`;
}

function textOf(errors: readonly Violation[]): string {
  return errors.map(({ path, message }) => `${path}: ${message}`).join('; ');
}

function grpcError(outcome: FunctionOutcome, details: string, retryAfter: string | undefined): StatusObject & Error {
  const metadata = new Metadata();
  if (retryAfter !== undefined) metadata.set('retry-after', retryAfter);
  return Object.assign(new Error(details), { code: grpcStatusOf(outcome), details, metadata });
}

import type { ServerResponse } from 'node:http';
import { problemResponse } from '../shared/runtime/http/problem.js';

/** An error as problem+json on a node:http response, mapped as every function maps it. */
export async function answerProblem(res: ServerResponse, error: unknown): Promise<void> {
  const response = problemResponse(error);
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

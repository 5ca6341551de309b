import { createServer, maxHeaderSize, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { InvalidInputError } from '../../domain/errors.js';
import { PROBLEM_CONTENT_TYPE, problemResponse, problemType, type Problem } from './problem.js';

/** What Node's HTTP parser refused, by its error code; any other refusal is a 400. */
interface Refusal {
  readonly status: number;
  /** The status line's reason phrase. */
  readonly reason: string;
  readonly kind: string;
  readonly title: string;
  readonly detail: string;
}

const REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    kind: 'headers-too-large',
    title: 'Request headers too large',
    detail: `the request's headers are larger than ${maxHeaderSize} bytes in all`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: 'Payload Too Large',
    kind: 'payload-too-large',
    title: 'Payload too large',
    detail: "the body's chunk extensions are too large",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    kind: 'request-timeout',
    title: 'Request timeout',
    detail: 'the request did not arrive in time',
  },
};
const MALFORMED: Refusal = { status: 400, reason: 'Bad Request', kind: 'invalid-input', title: 'Invalid input', detail: 'the request is not valid HTTP/1.1' };
const EXPECTATION_FAILED: Refusal = {
  status: 417,
  reason: 'Expectation Failed',
  kind: 'expectation-failed',
  title: 'Expectation failed',
  detail: 'Expect: 100-continue is the only expectation served',
};

/**
 * Answers what Node's HTTP parser refuses before any route sees it (headers over its limit, a request that is
 * not HTTP, one that arrives too slowly) with problem+json, as every other refusal is answered; Node's own
 * answer has no body. As Node does, it answers only while nothing of a response is on the connection yet, so a
 * response in flight is never corrupted, and then closes the connection.
 */
function answerClientErrors(server: Server, onRefused: (status: number) => void): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent && error.code !== 'ECONNRESET') {
      const refusal = (error.code && REFUSALS[error.code]) || MALFORMED;
      onRefused(refusal.status);
      socket.write(refusalText(refusal));
    }
    socket.destroy(error);
  });
}

/** A refusal's problem+json body. */
function refusalBody({ status, kind, title, detail }: Refusal): string {
  const problem: Problem = { type: problemType(kind), title, status, detail };
  return JSON.stringify(problem);
}

/** A refusal as a whole HTTP/1.1 response that closes its connection. */
function refusalText(refusal: Refusal): string {
  const body = refusalBody(refusal);
  return `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * CONNECT asks for a tunnel, which nothing here serves; Node hands it to 'connect' listeners only, and without
 * one drops the connection unanswered. Refused as a request that is not valid here, counted as the parser's
 * refusals are.
 */
function answerConnect(server: Server, onRefused: (status: number) => void): void {
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    onRefused(MALFORMED.status);
    socket.end(refusalText({ ...MALFORMED, detail: 'the request is not valid HTTP/1.1 here: CONNECT (a tunnel) is not served' }));
  });
}

/**
 * An `Expect` other than `100-continue`: Node answers it 417 with an empty body before any listener sees the
 * request. Answered here as problem+json instead, counted as the parser's refusals are, and the connection is
 * closed, since its body is left unread.
 */
function answerUnmetExpectations(server: Server, onRefused: (status: number) => void): void {
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    onRefused(EXPECTATION_FAILED.status);
    const body = refusalBody(EXPECTATION_FAILED);
    res.writeHead(EXPECTATION_FAILED.status, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).end(body);
  });
}

/**
 * An HTTP server for `listener` whose refusals are all problem+json: what Node's parser refuses (above), and an
 * HTTP/1.1 request without a Host header, which Node would answer with a bare 400 of its own unless told not to
 * check it; the request then reaches the listener, which refuses it with `answerRequestError`; an `Expect` it
 * cannot meet, and CONNECT (above). `onRefused` is told
 * the status of each of the parser's refusals (no listener sees those requests, so no middleware counts them).
 */
export function createProblemServer(listener: RequestListener, onRefused: (status: number) => void): Server {
  const server = createServer({ requireHostHeader: false }, listener);
  answerClientErrors(server, onRefused);
  answerUnmetExpectations(server, onRefused);
  answerConnect(server, onRefused);
  return server;
}

/**
 * The answer to a request whose URL cannot be built (no Host header, a target that is not a path such as
 * `OPTIONS *`, a backslash in the path), which @hono/node-server's request listener reports as a RequestError:
 * problem+json, where the listener's own answer has no body. Anything else it reports is answered as any failure.
 */
export function answerRequestError(error: unknown): Response {
  if (!(error instanceof Error && error.name === 'RequestError')) return problemResponse(error);
  return problemResponse(new InvalidInputError(`the request is not valid HTTP/1.1: ${error.message}`));
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Resolves when the client gave up on the request before it was answered. */
  readonly abandoned: Promise<void>;
}

export interface StandInFunction {
  readonly url: string;
  /** Every request other than /readyz, in arrival order. */
  readonly requests: SeenRequest[];
  /** Resolves with the next request to arrive (other than /readyz). */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
}

export type StandInHandler = (request: SeenRequest, response: ServerResponse) => void;

/**
 * A real HTTP server on a free loopback port that stands in for a function, so a test can make it slow,
 * failing or curious about headers. /readyz answers 200 unless `ready` says otherwise.
 */
export async function startStandInFunction(handler: StandInHandler, ready: () => boolean = () => true): Promise<StandInFunction> {
  const requests: SeenRequest[] = [];
  const waiting: Array<(request: SeenRequest) => void> = [];
  const server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.writeHead(ready() ? 200 : 503, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const abandoned = new Promise<void>((resolve) => res.once('close', () => !res.writableFinished && resolve()));
      const seen: SeenRequest = { method: req.method!, url: req.url!, headers: req.headers, body, abandoned };
      requests.push(seen);
      waiting.shift()?.(seen);
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A document as a function answers it, for stand-ins that play get/update. */
export function documentJson(collection: string, id: string, version = 1): string {
  const at = '2026-01-01T00:00:00.000Z';
  return JSON.stringify({ id, collection, version, createdAt: at, updatedAt: at, data: { ok: true } });
}

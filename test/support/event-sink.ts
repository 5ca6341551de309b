import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the sink received: its headers (lower-case) and its body parsed as JSON. */
export interface Received {
  readonly headers: Record<string, string>;
  readonly body: any;
  /** The status the sink answered with; 'held' while it holds the request open; 'dropped' if the sender gave up. */
  status: number | 'held' | 'dropped';
}

/** How the sink answers each request: a status, or 'hold' to never answer (a stuck sink). */
export type Answer = (event: Received, attempt: number) => number | 'hold';

export interface EventSink {
  readonly url: string;
  readonly received: Received[];
  /** Answers every request held so far with `status`. */
  release(status: number): void;
  /** Resolves with the first request matching `predicate`, waiting for it if needed (up to `timeoutMs`). */
  waitFor(predicate: (event: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on a free loopback port that records CloudEvents POSTed to it, as K_SINK would be. */
export async function startEventSink(answer: Answer = () => 202): Promise<EventSink> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const waiters = new Set<() => void>();
  const held = new Map<ServerResponse, Received>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const event: Received = { headers, body: text ? JSON.parse(text) : undefined, status: 'held' };
      const key = headers['ce-id'] ?? '';
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      received.push(event);
      const status = answer(event, attempt);
      if (status === 'hold') {
        held.set(res, event);
        res.once('close', () => {
          if (event.status === 'held') event.status = 'dropped';
        });
      } else {
        event.status = status;
        res.writeHead(status).end();
      }
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    release(status) {
      for (const [res, event] of held) {
        event.status = status;
        res.writeHead(status).end();
      }
      held.clear();
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const found = () => received.find(predicate);
      const deadline = Date.now() + timeoutMs;
      while (!found()) {
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(received.map((e) => e.headers))}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
      return found()!;
    },
    async close() {
      for (const res of held.keys()) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

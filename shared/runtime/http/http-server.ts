import { getRequestListener } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerRequestError, createProblemServer } from './client-errors.js';

/**
 * Connections the kernel may hold for the server before it accepts them (capped by net.core.somaxconn).
 * Node's default, 511, is less than a burst of 1,000 new connections: the SYNs past it are dropped and those
 * clients time out (seen in `npm run bench` at 1,000 connections: 512 timeouts in every function's row).
 */
export const LISTEN_BACKLOG = 4096;

/**
 * Serves `fetch` (a Hono app's) on `port` of `host` (every interface when undefined) with the larger listen
 * backlog (`serve()` offers no backlog option), answering what Node's HTTP parser refuses, and requests whose
 * URL cannot be built, with problem+json. A listen that fails (the port taken, a HOST that does not resolve or
 * is not this machine's) goes to `onListenError` instead of being thrown as an unhandled 'error' event. A request
 * the parser refused goes to `onRefused` with its status.
 */
export function listenHttp(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  host: string | undefined,
  handlers: {
    onListening: (address: AddressInfo) => void;
    onListenError: (error: Error) => void;
    onRefused: (status: number) => void;
  },
): Server {
  const { onListening, onListenError, onRefused } = handlers;
  const server = createProblemServer(getRequestListener(fetch, { errorHandler: answerRequestError }), onRefused);
  server.once('error', onListenError);
  server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
    server.off('error', onListenError);
    onListening(server.address() as AddressInfo);
  });
  return server;
}

/**
 * Stops accepting connections and resolves once every connection has ended, so every in-flight response has
 * been written. Node's `close()` drops idle keep-alive connections only at the moment it is called; responses
 * sent while draining carry `Connection: close`, and a sweep drops any connection that turns idle anyway
 * (a response finished just before the drain began) instead of waiting out its keep-alive timeout.
 */
export async function closeServer(server: Server): Promise<void> {
  await acceptWaiting(server);
  await new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
  });
}

/**
 * Accepts the connections a busy process has left waiting in the listen backlog, which closing the listener
 * would reset: Node accepts at most one connection per turn of the event loop, so this takes turns until one
 * accepts none (and has read the requests of those before it). Bounded, as arrivals could go on for ever.
 */
async function acceptWaiting(server: Server): Promise<void> {
  let accepted = true;
  const onConnection = () => {
    accepted = true;
  };
  server.on('connection', onConnection);
  for (let turn = 0; accepted && turn < LISTEN_BACKLOG; turn++) {
    accepted = false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  server.off('connection', onConnection);
}

import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import { createForwarder } from './forwarder.js';
import { createGatewayApp, type Companion, type Upstreams } from './gateway-app.js';

/** The gateway's HTTP server: the functions' routes forwarded as streams, everything else to its Hono app. */
export function createGatewayServer(upstreams: Upstreams, companions: readonly Companion[] = []): Server {
  const forward = createForwarder(upstreams);
  const own = getRequestListener(createGatewayApp(upstreams, companions).fetch);
  const server = createServer((req, res) => {
    // Closing (the stack is stopping): clients let go of their keep-alive connections after this answer.
    if (!server.listening) res.setHeader('Connection', 'close');
    if (!forward(req, res)) void own(req, res);
  });
  return server;
}

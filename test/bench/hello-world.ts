import { Hono } from 'hono';
import { listenHttp } from '../../shared/runtime/http/http-server.js';

/**
 * The floor and ceiling the benches compare against: the smallest Hono app, on the same server adapter and
 * listen backlog as a function, bundled like one.
 */
const app = new Hono();
app.get('/hello', (c) => c.json({ hello: 'world' }));
listenHttp(app.fetch, Number(process.env.PORT), undefined, {
  onListening: () => undefined,
  onListenError: (error) => {
    throw error;
  },
  onRefused: () => undefined,
});
process.once('SIGTERM', () => process.exit(0));

import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The cold-start floor: the smallest Hono app on the same server adapter, bundled like a function. */
const app = new Hono();
app.get('/hello', (c) => c.json({ hello: 'world' }));
serve({ fetch: app.fetch, port: Number(process.env.PORT) });

/**
 * The smallest Hono server on @hono/node-server: the peer the start-up benchmark compares `npm start`
 * with. Answers `GET /` and `GET /healthz` on 127.0.0.1:$PORT.
 *
 *   PORT=8788 node --import tsx bench/lib/bare-hono.ts
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));
app.get('/healthz', (c) => c.json({ status: 'ok' }));

const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 8788), hostname: '127.0.0.1' },
  (info) => console.log(`bare Hono on http://${info.address}:${info.port}/`),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

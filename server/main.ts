import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { seedDemo } from './seed/demo.js';

const root = path.relative(process.cwd(), fileURLToPath(new URL('..', import.meta.url))) || '.';

const config = await loadConfig();
const started = performance.now();
const database = await openDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'db') },
);
if (config.demo) {
  const { seeded } = await seedDemo(database.db);
  if (seeded) console.log('seeded the demo brand');
}
const api = createApp({
  db: database.db,
  secret: config.secret,
  demo: config.demo,
  publicUrl: config.publicUrl,
});

// One origin: the API, the script-tag bundle and (in demo mode) the demo pages.
const site = new Hono();
site.use('/cdn/*', serveStatic({ root: path.join(root, 'dist') }));
if (config.demo) {
  site.get('/', (c) => c.redirect('/demo/'));
  site.use('/demo/*', serveStatic({ root }));
}
site.all('*', (c) => api.fetch(c.req.raw));

const server = serve({ fetch: site.fetch, port: config.port, hostname: config.host }, (info) => {
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const ms = Math.round(performance.now() - started);
  console.log(`DM Kit server on http://${info.address}:${info.port}/ (${where}, ready in ${ms} ms)`);
});

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  console.log(`${signal}: shutting down`);
  server.close(() => {
    database.close().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { eventWriterFor } from './domain/engagement-writer.js';
import { seedDemo } from './seed/demo.js';
import { createFileMailer, createSmtpMailer } from './mail/transports.js';
import { OutboxWorker } from './mail/worker.js';
import { demoOutboxRoutes } from './demo-outbox.js';

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
// Outbox worker: SMTP when SMTP_URL is set, else one .eml file per message in DM_DATA_DIR/outbox.
const mailer = config.smtpUrl
  ? createSmtpMailer(config.smtpUrl)
  : createFileMailer(path.join(config.dataDir, 'outbox'));
const worker = new OutboxWorker({
  db: database.db,
  mailer,
  secret: config.secret,
  publicUrl: config.publicUrl,
  onError: (error) => console.error('outbox worker:', error),
});
const api = createApp({
  db: database.db,
  secret: config.secret,
  demo: config.demo,
  publicUrl: config.publicUrl,
  notifyOutbox: () => worker.wake(),
});
worker.start();

// One origin: the API, the script-tag bundle and (in demo mode) the demo pages.
const site = new Hono();
site.use('/cdn/*', serveStatic({ root: path.join(root, 'dist') }));
if (config.demo) {
  site.get('/', (c) => c.redirect('/demo/'));
  if (!config.smtpUrl) site.route('/demo/api/outbox', demoOutboxRoutes(path.join(config.dataDir, 'outbox')));
  site.use('/demo/*', serveStatic({ root }));
}
site.all('*', (c) => api.fetch(c.req.raw));

const server = serve({ fetch: site.fetch, port: config.port, hostname: config.host }, (info) => {
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const ms = Math.round(performance.now() - started);
  console.log(`DM Kit server on http://${info.address}:${info.port}/ (${where}, ready in ${ms} ms)`);
  console.log(
    `outbox: ${config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : path.join(config.dataDir, 'outbox')}`,
  );
});

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  console.log(`${signal}: shutting down`);
  server.close(() => {
    // Opens and clicks answered already may still wait in the batched writer.
    eventWriterFor(database.db)
      .flush()
      .catch((error) => console.error('tracking:', error))
      .then(() => worker.stop())
      .then(() => mailer.close?.())
      .catch((error) => console.error('outbox worker:', error))
      .finally(() => database.close().finally(() => process.exit(0)));
  });
  setTimeout(() => process.exit(0), 15_000).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

// A worker in its own process (for the kill -9 test): DATABASE_URL, SMTP_URL, DM_SECRET, DM_PUBLIC_URL,
// DM_LEASE_MS from the env.
import { openDatabase } from '../../../server/db/open.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { OutboxWorker } from '../../../server/mail/worker.js';

const database = await openDatabase({ url: process.env.DATABASE_URL!, migrate: false });
const worker = new OutboxWorker({
  db: database.db,
  mailer: createSmtpMailer(process.env.SMTP_URL!, { maxConnections: 3, timeoutMs: 60_000 }),
  secret: process.env.DM_SECRET!,
  publicUrl: process.env.DM_PUBLIC_URL!,
  leaseMs: Number(process.env.DM_LEASE_MS ?? 2000),
  batchSize: 20,
  pollMs: 50,
});
worker.start();
console.log('worker started');

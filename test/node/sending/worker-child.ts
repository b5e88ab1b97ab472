// A worker in its own process (for the kill -9 tests): DATABASE_URL, SMTP_URL, DM_SECRET, DM_PUBLIC_URL,
// DM_LEASE_MS from the env. Optional: DM_CLOCK_OFFSET_MS runs the worker's clock ahead (journey steps
// days later); DM_WORKER_STANDBY=1 loads everything, prints `worker ready` and starts only when a line
// arrives on stdin (`{"clockOffsetMs": n}` may override the offset), so a killed worker's successor is
// already warm (it exits when stdin closes). Errors the worker reports go to stderr.
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../server/db/open.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { OutboxWorker } from '../../../server/mail/worker.js';

let clockOffsetMs = Number(process.env.DM_CLOCK_OFFSET_MS ?? 0);
const database = await openDatabase({ url: process.env.DATABASE_URL!, migrate: false });
const worker = new OutboxWorker({
  db: database.db,
  mailer: createSmtpMailer(process.env.SMTP_URL!, { maxConnections: 3, timeoutMs: 60_000 }),
  secret: process.env.DM_SECRET!,
  publicUrl: process.env.DM_PUBLIC_URL!,
  clock: () => new Date(Date.now() + clockOffsetMs),
  leaseMs: Number(process.env.DM_LEASE_MS ?? 2000),
  batchSize: 20,
  pollMs: 50,
  onError: (error) => console.error('worker error:', (error as Error)?.message ?? error),
});
if (process.env.DM_WORKER_STANDBY === '1') {
  console.log('worker ready');
  const lines = createInterface({ input: process.stdin });
  // The parent went away (stdin closed): never linger as an orphan, before or after starting.
  lines.once('close', () => process.exit(0));
  const line = await new Promise<string>((resolve) => lines.once('line', resolve));
  const go = line.trim() ? (JSON.parse(line) as { clockOffsetMs?: number }) : {};
  if (go.clockOffsetMs !== undefined) clockOffsetMs = go.clockOffsetMs;
}
worker.start();
console.log('worker started');

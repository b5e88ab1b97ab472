/**
 * Emails/s from the outbox to a loopback SMTP sink (claim → render → SMTP → commit, exactly-once
 * bookkeeping included) against raw pooled nodemailer sending the same rendered messages to the same
 * sink. Target: outbox ≥ 0.6 × raw and ≥ 500 msg/s.
 *
 *   npx tsx bench/smtp.bench.ts [messages=1500]        (DM_BENCH_PG=0 skips PostgreSQL)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { report, type Figure } from './lib/report.js';
import { openDatabase, type OpenedDb } from '../server/db/open.js';
import { createSend } from '../server/domain/sending.js';
import { renderMessage } from '../server/domain/render.js';
import { createSmtpMailer } from '../server/mail/transports.js';
import { OutboxWorker } from '../server/mail/worker.js';
import { startPostgres } from '../test/node/support/postgres.js';
import { startSmtpSink } from '../test/node/sending/smtp-sink.js';
import {
  addContacts,
  BRAND,
  MAIN_STEP,
  PUBLIC_URL,
  SECRET,
  seedFixtures,
} from '../test/node/sending/support.js';

// The sink runs in its own process (the machine has two cores: one sends, one receives).
if (process.argv[2] === '--sink') {
  const own = await startSmtpSink();
  own.countOnly = true;
  process.send!({ port: own.port });
  process.on('message', () => process.send!({ accepted: own.accepted }));
  process.on('disconnect', () => void own.close().then(() => process.exit(0)));
} else {
  await main();
}

interface RemoteSink {
  port: number;
  url: string;
  accepted(): Promise<number>;
  close(): void;
}

async function remoteSink(): Promise<RemoteSink> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sink'], {
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { accepted: number }).accepted));
        child.send('count');
      }),
    close: () => child.disconnect(),
  };
}

async function main() {
  const N = Number(process.argv[2] ?? 1500);
  const CONNECTIONS = 5;
  const sink = await remoteSink();

  const caller = {
    userId: 'u_north',
    name: 'Jana Weber',
    email: 'u_north@example.test',
    role: 'partner' as const,
    brand: { id: BRAND, name: 'Aurora Motors', domain: 'aurora-motors.example' },
    partner: { id: 'p_north', name: 'Nordlicht Autohaus', tier: 'gold' as const, region: 'north' },
  };

  async function raw(): Promise<number> {
    const transport = nodemailer.createTransport({
      pool: true,
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      maxConnections: CONNECTIONS,
      maxMessages: Infinity,
    });
    const messages = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        renderMessage({
          step: MAIN_STEP,
          mergeFields: [],
          personalization: { note: 'Thanks for visiting!' },
          locale: 'en',
          brand: {
            id: BRAND,
            name: 'Aurora Motors',
            domain: 'aurora-motors.example',
            postalAddress: 'Am Hafen 1',
          },
          partner: {
            id: 'p',
            name: 'Nordlicht',
            replyTo: 'sales@n.example',
            postalAddress: 'Ring 5',
            signature: 'J',
          },
          contact: {
            id: `c${i}`,
            email: `c${i}@mail.example`,
            firstName: `F${i}`,
            lastName: 'L',
            company: 'C',
          },
          publicUrl: PUBLIC_URL,
          tracking: { rowId: `ob_${i}`, secret: SECRET },
        }),
      ),
    );
    const before = await sink.accepted();
    const start = performance.now();
    await Promise.all(
      messages.map((m, i) =>
        transport.sendMail({
          messageId: `<raw.${i}@aurora-motors.example>`,
          from: m.from,
          to: `c${i}@mail.example`,
          replyTo: m.replyTo,
          subject: m.subject,
          text: m.text,
          html: m.html,
          headers: m.headers,
        }),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    transport.close();
    if ((await sink.accepted()) - before !== N) throw new Error('raw: not every message arrived');
    return N / seconds;
  }

  async function outbox(kind: 'pglite' | 'postgres'): Promise<{ rate: number; setup: number }> {
    let opened: OpenedDb;
    let stopPg: (() => Promise<void>) | undefined;
    if (kind === 'postgres') {
      const pg = process.env.DM_TEST_PG_URL
        ? { url: process.env.DM_TEST_PG_URL, stop: async () => undefined }
        : await startPostgres();
      stopPg = pg.stop;
      opened = await openDatabase({ url: pg.url });
    } else {
      opened = await openDatabase();
    }
    const db = opened.db;
    await seedFixtures(db);
    const ids = await addContacts(db, N);
    const t0 = performance.now();
    for (let i = 0; i < ids.length; i += 10_000) {
      await createSend({
        db,
        caller,
        body: {
          kind: 'quick',
          journeyId: 'j_quick',
          contactIds: ids.slice(i, i + 10_000),
          personalization: { note: 'Thanks for visiting!' },
          overrides: {},
        },
        idempotencyKey: `bench-${i}`,
        now: new Date(),
      });
    }
    const setup = (performance.now() - t0) / 1000;
    const mailer = createSmtpMailer(sink.url, { maxConnections: CONNECTIONS });
    const worker = new OutboxWorker({
      db,
      mailer,
      secret: SECRET,
      publicUrl: PUBLIC_URL,
      batchSize: 250,
      pipelines: 3,
    });
    const before = await sink.accepted();
    const start = performance.now();
    const result = await worker.drain();
    const seconds = (performance.now() - start) / 1000;
    await mailer.close?.();
    await opened.close();
    await stopPg?.();
    const got = (await sink.accepted()) - before;
    if (result.delivered !== N || got !== N) {
      throw new Error(`outbox: delivered ${result.delivered}, sink got ${got}, expected ${N}`);
    }
    return { rate: N / seconds, setup };
  }

  const rawRate = await raw();
  const figures: Figure[] = [];
  const kinds: ('pglite' | 'postgres')[] =
    process.env.DM_BENCH_PG === '0' ? ['pglite'] : ['pglite', 'postgres'];
  for (const kind of kinds) {
    const { rate, setup } = await outbox(kind);
    figures.push({
      name: `emails/s outbox → SMTP sink (${kind}: claim, render, send, commit)`,
      unit: 'msg/s',
      better: 'higher',
      ours: rate,
      peer: rawRate,
      peerName: 'raw nodemailer, pooled, pre-rendered',
      target: { ratio: 0.6, absolute: 500 },
      ...(kind === 'pglite' && {
        note:
          'PGlite runs every statement on the worker’s own thread, between the SMTP replies (the claim, ' +
          'the batch updates, two events per message and their roll-ups); PostgreSQL runs the same ' +
          'statements in its own processes, on the other core',
      }),
    });
    console.log(
      `# ${kind}: created the ${N}-recipient send (send, recipients, outbox rows) in ${setup.toFixed(2)} s`,
    );
  }
  sink.close();
  console.log(
    `${N} messages to a loopback smtp-server sink in another process, ${CONNECTIONS} pooled connections`,
  );
  report('smtp', figures);
}

/**
 * Shared pieces of the reliability suites: seeds that can be replayed from the environment, polling
 * with a deadline, Message-ID counting, an SMTP sink that tolerates killed clients and an in-process
 * recording mailer.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import type { Mailer, OutgoingMessage } from '../../../server/mail/mailer.js';
import { parseMessage, type SinkMessage } from '../sending/smtp-sink.js';

export { sleep };

/** A seed from `variable` (to replay a run) or a fresh one; printed either way. */
export function seedFrom(variable: string, suite: string): number {
  const given = process.env[variable];
  const seed = given ? Number(given) : randomInt(2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`${variable} must be an integer, got ${given}`);
  console.log(
    `# ${suite} seed ${seed}${given ? ' (from the environment)' : ''}: replay with ${variable}=${seed}`,
  );
  return seed;
}

/** Polls `check` every `intervalMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 20,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The Message-ID of a sink message without angle brackets (the outbox row's `message_id`). */
export const messageIdOf = (headers: Map<string, string>): string =>
  (headers.get('message-id') ?? '').replace(/^<|>$/g, '');

/** How many copies of each Message-ID the sink accepted. */
export function copiesByMessageId(sink: { messages: SinkMessage[] }): Map<string, number> {
  const copies = new Map<string, number>();
  for (const m of sink.messages) {
    const id = messageIdOf(m.headers);
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}

export interface CrashSink {
  url: string;
  /** Every message accepted (the 250 to DATA was sent), in order. */
  messages: SinkMessage[];
  readonly accepted: number;
  /** Clients that went away mid-transaction (killed workers). */
  resets: number;
  close(): Promise<void>;
}

/**
 * An SMTP server on 127.0.0.1 that accepts everything, for clients that get SIGKILLed: a client dying
 * mid-transaction is counted, not an error (the sending suites' sink treats it as one, which would
 * surface as an uncaught exception here). A message cut off before its final dot is never accepted.
 */
export async function startCrashSink(): Promise<CrashSink> {
  const messages: SinkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => undefined);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ raw, ...parseMessage(raw), to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  const sink: CrashSink = {
    url: '',
    messages,
    get accepted() {
      return messages.length;
    },
    resets: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server.on('error', () => sink.resets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  sink.url = `smtp://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return sink;
}

/**
 * An in-process mailer that keeps every message it is handed (no SMTP, so nothing fails transiently).
 * `gate` holds every send until it resolves; `perMessageMs` makes it a slow single connection.
 */
export function recordingMailer(o: { gate?: Promise<void>; perMessageMs?: number } = {}) {
  const sent: OutgoingMessage[] = [];
  let inFlight = 0;
  let line = Promise.resolve();
  const mailer: Mailer = {
    async send(message) {
      inFlight++;
      if (o.gate) await o.gate;
      if (o.perMessageMs) await (line = line.then(() => sleep(o.perMessageMs)));
      sent.push(message);
      inFlight--;
    },
  };
  return { mailer, sent, inFlight: () => inFlight };
}

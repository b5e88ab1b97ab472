/** Node-only mail transports for the outbox worker: pooled SMTP (nodemailer) or `.eml` files. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { toDeliveryError, type Mailer, type OutgoingMessage } from './mailer.js';

const mailOptions = (m: OutgoingMessage) => ({
  messageId: `<${m.messageId}>`,
  from: { name: m.from.name, address: m.from.address },
  to: m.to,
  replyTo: m.replyTo,
  subject: m.subject,
  text: m.text,
  html: m.html,
  headers: m.headers,
  date: m.date,
});

export interface SmtpOptions {
  /** Parallel SMTP connections (default 5). */
  maxConnections?: number;
  /** Socket timeout; keep it well below the worker's lease (default 60 s). */
  timeoutMs?: number;
}

/** SMTP through a nodemailer connection pool, e.g. `smtp://user:pass@host:587` or `smtps://…`. */
export function createSmtpMailer(url: string, options: SmtpOptions = {}): Mailer {
  const u = new URL(url);
  const timeout = options.timeoutMs ?? 60_000;
  const config: SMTPPool.Options = {
    pool: true,
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
    secure: u.protocol === 'smtps:',
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
  };
  const transport = nodemailer.createTransport(config);
  return {
    async send(message) {
      try {
        await transport.sendMail(mailOptions(message));
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * Writes each message as `<dir>/<Message-ID>.eml` (write to a temporary name, then rename). Delivering
 * the same message again replaces the same file, so the directory holds at most one copy per message.
 */
export function createFileMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let ready: Promise<unknown> | null = null;
  return {
    async send(message) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const info = await transport.sendMail(mailOptions(message));
      const name = message.messageId.replace(/[^A-Za-z0-9._@-]/g, '_');
      const file = path.join(dir, `${name}.eml`);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, info.message as Buffer);
      await rename(tmp, file);
    },
  };
}

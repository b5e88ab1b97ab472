/**
 * An in-process SMTP server on 127.0.0.1 (port 0) that keeps every accepted message, with a hook to
 * answer RCPT TO with a temporary (4xx) or permanent (5xx) failure. Also a tiny MIME reader for tests.
 */
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  raw: string;
  headers: Map<string, string>;
  to: string[];
  html: string;
  text: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: SinkMessage[];
  /** Return `{ code, message }` to refuse a recipient. */
  onRcpt: ((address: string) => { code: number; message: string } | null) | null;
  /** Keep only counts (benchmarks). */
  countOnly: boolean;
  /** After this many accepted messages, never answer DATA (the message is not accepted). */
  holdAfter: number | null;
  /** Messages whose DATA is being held. */
  held: number;
  accepted: number;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: '',
    port: 0,
    messages: [],
    onRcpt: null,
    countOnly: false,
    holdAfter: null,
    held: 0,
    accepted: 0,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    maxClients: 100,
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      const refusal = sink.onRcpt?.(address.address);
      if (refusal) {
        const error = new Error(refusal.message) as Error & { responseCode: number };
        error.responseCode = refusal.code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.holdAfter !== null && sink.accepted >= sink.holdAfter) {
          sink.held++;
          return; // no reply: the client never learns the outcome, the message is not accepted
        }
        sink.accepted++;
        if (!sink.countOnly) {
          const raw = Buffer.concat(chunks).toString('utf8');
          sink.messages.push({
            raw,
            ...parseMessage(raw),
            to: session.envelope.rcptTo.map((r) => r.address),
          });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  sink.port = typeof address === 'object' && address ? address.port : 0;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), decodeWords(line.slice(at + 1).trim()));
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=` / `=?UTF-8?B?…?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QBqb])\?([^?]*)\?=/g, (_m, _cs, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/\r\n/g, '\n')
      .replace(/=\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Headers and the text/html parts of a (multipart) message. */
export function parseMessage(raw: string): { headers: Map<string, string>; html: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const out = { headers, html: '', text: '' };
  const walk = (partHeaders: Map<string, string>, body: string) => {
    const type = partHeaders.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (/^multipart\//i.test(type) && boundary) {
      for (const part of body.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const at = part.search(/\r?\n\r?\n/);
        walk(
          parseHeaders(part.slice(0, at).replace(/^\r?\n/, '')),
          part.slice(at).replace(/^\r?\n\r?\n/, ''),
        );
      }
      return;
    }
    const decoded = decodeBody(body, partHeaders.get('content-transfer-encoding')?.toLowerCase());
    if (/^text\/html/i.test(type)) out.html = decoded;
    else if (/^text\/plain/i.test(type)) out.text = decoded;
  };
  walk(headers, raw.slice(split).replace(/^\r?\n\r?\n/, ''));
  return out;
}

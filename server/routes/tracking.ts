/**
 * Outside `/v1`, no login: open pixel, click redirect and unsubscribe (RFC 8058 one-click POST).
 * Tokens are signed per message (see domain/tracking.ts); a click goes only to a link stored with the
 * message, so a forged or altered token is a 404, never an open redirect.
 */
import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { contacts, outbox } from '../db/schema.js';
import { ClickBurstDetector, classifyClick, classifyOpen } from '../domain/engagement-classify.js';
import { writeEvent } from '../domain/engagement-writer.js';
import { unsubscribe } from '../domain/events.js';
import { escapeHtml } from '../domain/sanitize.js';
import { verifyToken } from '../domain/tracking.js';
import type { App, AppEnv } from '../env.js';

const GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (ch) =>
  ch.charCodeAt(0),
);

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function page(c: Context<AppEnv>, status: 200 | 400 | 404, title: string, body: string) {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}` +
    `button{font:inherit;padding:.6rem 1.2rem;cursor:pointer}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return c.body(html, status, PAGE_HEADERS);
}

const notFoundPage = (c: Context<AppEnv>) =>
  page(c, 404, 'Link not recognised', '<p>This link is invalid or has expired.</p>');

async function messageRow(c: Context<AppEnv>, rowId: string) {
  const { db } = c.get('deps');
  const [row] = await db
    .select({
      id: outbox.id,
      sendId: outbox.sendId,
      contactId: outbox.contactId,
      stepId: outbox.stepId,
      brandId: outbox.brandId,
      partnerId: outbox.partnerId,
      journeyId: outbox.journeyId,
      links: outbox.links,
      deliveredAt: outbox.deliveredAt,
      email: contacts.email,
    })
    .from(outbox)
    .innerJoin(contacts, eq(contacts.id, outbox.contactId))
    .where(eq(outbox.id, rowId))
    .limit(1);
  return row;
}

type MessageRow = NonNullable<Awaited<ReturnType<typeof messageRow>>>;

const bursts = new WeakMap<object, ClickBurstDetector>();

/** The client address as the socket saw it (no proxy headers: they are forgeable). */
function clientIp(c: Context<AppEnv>): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/**
 * Records an open or click (classified human or machine) through the batched writer, live-published.
 * The pixel and the redirect do not wait for it: their answer does not depend on it, and the next batch
 * is at most `maxWaitMs` away (a shutdown flushes the writer). A failed batch is logged.
 */
function track(
  c: Context<AppEnv>,
  row: MessageRow,
  type: 'open' | 'click',
  extra: Record<string, unknown> = {},
) {
  const { db, clock } = c.get('deps');
  const now = clock();
  const userAgent = (c.req.header('user-agent') ?? '').slice(0, 300);
  const signal = { userAgent, deliveredAt: row.deliveredAt, at: now, ip: clientIp(c) };
  let detector = bursts.get(db);
  if (!detector) bursts.set(db, (detector = new ClickBurstDetector()));
  const verdict =
    type === 'open'
      ? classifyOpen(signal)
      : classifyClick({ ...signal, method: c.req.method, recentClicks: detector.observe(row.id, now) });
  const seconds = row.deliveredAt
    ? Math.max(0, Math.round((now.getTime() - row.deliveredAt.getTime()) / 1000))
    : null;
  writeEvent(db, {
    brandId: row.brandId,
    partnerId: row.partnerId,
    journeyId: row.journeyId,
    sendId: row.sendId,
    stepId: row.stepId,
    contactId: row.contactId,
    type,
    machine: verdict.machine,
    at: now,
    meta: { userAgent, secondsSinceDelivery: seconds, machineReason: verdict.reason, ...extra },
  }).catch((error: unknown) => console.error(`tracking: could not record a ${type}`, error));
}

export function registerTracking(app: App) {
  app.get('/t/o/:token', async (c) => {
    const ref = verifyToken(c.get('deps').secret, 'open', c.req.param('token'));
    const row = ref && (await messageRow(c, ref.rowId));
    if (!row) return c.body(null, 404, { 'Cache-Control': 'no-store' });
    track(c, row, 'open');
    return c.body(GIF, 200, {
      'Content-Type': 'image/gif',
      'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
      Pragma: 'no-cache',
      Expires: '0',
    });
  });

  app.get('/t/c/:token', async (c) => {
    const ref = verifyToken(c.get('deps').secret, 'click', c.req.param('token'));
    const row = ref && (await messageRow(c, ref.rowId));
    const target = row && ref ? row.links[ref.index] : undefined;
    if (!row || !target || !/^https?:\/\//i.test(target)) return notFoundPage(c);
    track(c, row, 'click', { link: ref!.index, url: target });
    return c.body(null, 302, {
      Location: target,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
  });

  app.get('/u/:token', async (c) => {
    const token = c.req.param('token');
    if (token === 'preview') {
      return page(
        c,
        200,
        'Unsubscribe',
        '<p>This is a preview. In a real email this link unsubscribes the recipient.</p>',
      );
    }
    const ref = verifyToken(c.get('deps').secret, 'unsubscribe', token);
    const row = ref && (await messageRow(c, ref.rowId));
    if (!row) return notFoundPage(c);
    // GET never unsubscribes (link scanners follow links); the button POSTs the RFC 8058 body.
    return page(
      c,
      200,
      'Unsubscribe',
      `<p>Stop emails to <strong>${escapeHtml(row.email)}</strong>?</p>` +
        `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
        `<button type="submit">Unsubscribe</button></form>`,
    );
  });

  app.post('/u/:token', async (c) => {
    const { db, secret, clock } = c.get('deps');
    const ref = verifyToken(secret, 'unsubscribe', c.req.param('token'));
    const row = ref && (await messageRow(c, ref.rowId));
    if (!row) return notFoundPage(c);
    const now = clock();
    const changed = await db.transaction((tx) =>
      unsubscribe(tx, { brandId: row.brandId, contactId: row.contactId, email: row.email, now }),
    );
    if (changed) {
      const oneClick = /List-Unsubscribe=One-Click/i.test(await c.req.text().catch(() => ''));
      await writeEvent(db, {
        brandId: row.brandId,
        partnerId: row.partnerId,
        journeyId: row.journeyId,
        sendId: row.sendId,
        stepId: row.stepId,
        contactId: row.contactId,
        type: 'unsubscribe',
        at: now,
        meta: { oneClick, userAgent: (c.req.header('user-agent') ?? '').slice(0, 300) },
      });
    }
    return page(
      c,
      200,
      'You are unsubscribed',
      `<p>${escapeHtml(row.email)} will not receive these emails again.</p>`,
    );
  });
}

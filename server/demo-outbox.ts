import { Hono } from 'hono';
import { simpleParser } from 'mailparser';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const MAX_LISTED = 200;
const SAFE_NAME = /^[A-Za-z0-9._@-]+\.eml$/;

/**
 * Demo only: reads the `.eml` files the outbox worker writes when no SMTP server is configured, so
 * the outbox viewer page can show each email as its recipient would see it.
 */
export function demoOutboxRoutes(dir: string) {
  const app = new Hono();

  app.get('/', async (c) => {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => SAFE_NAME.test(n));
    const withTimes = await Promise.all(
      names.map(async (name) => ({ name, mtime: (await stat(path.join(dir, name))).mtimeMs })),
    );
    withTimes.sort((a, b) => b.mtime - a.mtime);
    const items = await Promise.all(
      withTimes.slice(0, MAX_LISTED).map(async ({ name, mtime }) => {
        const mail = await simpleParser(await readFile(path.join(dir, name)));
        return {
          id: name,
          at: new Date(mtime).toISOString(),
          from: mail.from?.text ?? '',
          to: Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : (mail.to?.text ?? ''),
          subject: mail.subject ?? '',
        };
      }),
    );
    return c.json({ items, total: names.length });
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!SAFE_NAME.test(id)) return c.json({ error: { code: 'validation', message: 'bad message id' } }, 400);
    const raw = await readFile(path.join(dir, id)).catch(() => null);
    if (!raw) return c.json({ error: { code: 'not_found', message: 'message not found' } }, 404);
    const mail = await simpleParser(raw);
    const headers: Record<string, string> = {};
    for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.key.length + 1).trim();
    return c.json({
      id,
      subject: mail.subject ?? '',
      html: typeof mail.html === 'string' ? mail.html : '',
      text: mail.text ?? '',
      headers,
    });
  });
  return app;
}

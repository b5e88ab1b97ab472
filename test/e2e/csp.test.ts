// The script-tag bundle with every element under a strict Content-Security-Policy with Trusted Types,
// as a locked-down partner portal would serve it: no inline script, no eval, styles and scripts from
// 'self' only. The API is the reference server (in process, on an in-memory database with the demo
// seed) behind the same origin; violations are collected in the page and at the report-uri.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { createApp } from '../../server/app.js';
import { signToken } from '../../server/auth.js';
import { openDatabase } from '../../server/db/open.js';
import { DEMO_BRAND_ID, seedDemo } from '../../server/seed/demo.js';
import { chromiumArgs, chromiumPath, exitIfStillAlive } from './support.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const policy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "require-trusted-types-for 'script'",
  'report-uri /csp-report',
].join('; ');

/**
 * The portal page. `hostile`: the host's stylesheet attacks every element it can reach (inherited
 * properties, `all: unset` on everything, hidden iframes and buttons); `twice`: the bundle is loaded a
 * second time under another URL (a second copy of every module, as with two portals' scripts).
 */
const portalHtml = (
  token: string,
  options: { hostile?: boolean; twice?: boolean; desk?: boolean } = {},
) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>Strict CSP portal</title>
    <script type="module" src="/page.js"></script>
    <script type="module" src="/cdn/dm-kit.js"></script>${
      options.twice ? '\n    <script type="module" src="/cdn/dm-kit.js?copy=2"></script>' : ''
    }${options.hostile ? '\n    <link rel="stylesheet" href="/hostile.css" />' : ''}
  </head>
  <body>
    <dm-provider base-url="/api" token="${token}" hosted-previews>
      ${
        options.desk
          ? '<dm-approval-queue></dm-approval-queue>\n      <dm-engagement-chart live></dm-engagement-chart>'
          : '<dm-journey-showroom for="send" page-size="2"></dm-journey-showroom>\n      <dm-quick-send id="send"></dm-quick-send>'
      }
    </dm-provider>
  </body>
</html>
`;

const hostileCss = `
* { all: unset !important; }
html, body, div, section, dm-provider, dm-journey-showroom, dm-quick-send { display: block !important; }
head, script, link, style, title, template { display: none !important; }
body { font: 700 31px/0.4 "Comic Sans MS", cursive !important; letter-spacing: 4px !important;
  color: transparent !important; text-transform: uppercase !important; word-spacing: 2em !important;
  direction: ltr !important; cursor: wait !important; }
iframe { display: none !important; }
button, input, [role='option'] { visibility: hidden !important; pointer-events: none !important; }
::slotted(*) { display: none !important; }
`;

// Runs before the bundle (module scripts run in document order): records every violation the page sees.
const pageScript = `window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    source: e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber,
    sample: e.sample,
  });
});
`;

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The strict-CSP page and its stub API on one loopback origin, with the bundle built into a temp dir. */
async function startPortal() {
  const cdn = await mkdtemp(path.join(tmpdir(), 'dm-csp-'));
  const build = spawnSync(
    process.execPath,
    [
      path.join(repo, 'node_modules/vite/bin/vite.js'),
      'build',
      '--mode',
      'cdn',
      '--logLevel',
      'warn',
      '--outDir',
      cdn,
      '--emptyOutDir',
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  const reports: unknown[] = [];
  const apiCalls: string[] = [];
  const database = await openDatabase();
  await seedDemo(database.db);
  const secret = 'csp-test-secret-0123456789-abcdefghij';
  const app = createApp({ db: database.db, secret });
  const mint = (sub: string, partner: string) =>
    signToken(secret, {
      sub,
      brand: DEMO_BRAND_ID,
      partner,
      role: sub === 'u_manager' ? 'approver' : 'partner',
    });
  // The portal page: Jana Weber (a partner user); the desk: Nordlicht's partner manager, with one
  // edited send of Jana's waiting for approval.
  const tokens = {
    portal: await mint('u_jana', 'partner_north'),
    desk: await mint('u_manager', 'partner_north'),
  };
  const contacts = await app.request('/v1/contacts?limit=50', {
    headers: { authorization: `Bearer ${tokens.portal}` },
  });
  const mailable = ((await contacts.json()) as { items: { id: string; mailable: boolean }[] }).items
    .filter((c) => c.mailable)
    .slice(0, 2);
  const held = await app.request('/v1/sends', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokens.portal}`,
      'content-type': 'application/json',
      'idempotency-key': 'csp-held-send',
    },
    body: JSON.stringify({
      journeyId: 'j_test_drive_follow_up',
      contactIds: mailable.map((c) => c.id),
      personalization: { message: 'Thank you for the test drive on Saturday. Call me any time.' },
    }),
  });
  assert.equal(held.status, 201, await held.clone().text());
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy });
        const flags = {
          hostile: url.searchParams.has('hostile'),
          twice: url.searchParams.has('twice'),
          desk: url.searchParams.has('desk'),
        };
        return void res.end(portalHtml(flags.desk ? tokens.desk : tokens.portal, flags));
      }
      if (url.pathname === '/hostile.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        return void res.end(hostileCss);
      }
      if (url.pathname === '/page.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        return void res.end(pageScript);
      }
      if (url.pathname === '/csp-report' && req.method === 'POST') {
        reports.push(JSON.parse((await body(req)).toString('utf8') || 'null'));
        return void res.writeHead(204).end();
      }
      if (url.pathname.startsWith('/cdn/')) {
        const file = path.join(cdn, url.pathname.slice('/cdn/'.length));
        if (!file.startsWith(cdn)) return void res.writeHead(403).end();
        const content = await readFile(file);
        res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'application/json' });
        return void res.end(content);
      }
      if (url.pathname.startsWith('/api/')) {
        apiCalls.push(`${req.method} ${url.pathname}`);
        const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : await body(req);
        // Streams (the live endpoint never ends) stop when the page goes away.
        const gone = new AbortController();
        res.on('close', () => gone.abort());
        const answer = await app.fetch(
          new Request(`http://127.0.0.1${url.pathname.slice('/api'.length)}${url.search}`, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body: payload ? new Uint8Array(payload) : undefined,
            signal: gone.signal,
          }),
        );
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        try {
          for await (const chunk of answer.body ?? []) res.write(chunk);
        } catch {
          // The client left mid-stream.
        }
        return void res.end();
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    await rm(cdn, { recursive: true, force: true });
  };
  return { origin, reports, apiCalls, stop };
}

type Portal = Awaited<ReturnType<typeof startPortal>>;

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { violations: unknown[] }).violations);

/** Reports arrive asynchronously: wait up to `ms` for `count` of them. */
async function settleReports(portal: Portal, count: number, ms = 2_000) {
  const deadline = Date.now() + ms;
  while (portal.reports.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

async function pickRecipientsAndPersonalize(page: Page, portal: Portal) {
  const cards = page.locator('dm-journey-showroom [part~="card"]');
  await cards.first().waitFor({ state: 'visible', timeout: 15_000 });
  assert.ok((await cards.count()) >= 2, 'the catalogue is listed');
  assert.ok(portal.apiCalls.some((c) => c.startsWith('GET /api/v1/journeys')));
  const card = cards.first();
  const name = (await card.locator('[part~="card-title"]').textContent())!.trim();
  await card.locator('[part~="select-button"]').click();
  const quickSend = page.locator('dm-quick-send');
  await quickSend.locator('[part~="header"]', { hasText: name }).waitFor();
  const options = quickSend.locator('[part~="option"]:not([aria-disabled="true"])');
  await options.nth(1).waitFor();
  await options.nth(0).click();
  await options.nth(1).click();
  await quickSend.locator('[part~="chip"]').nth(1).waitFor();
  await nextButton(page).click(); // → personalize
  await quickSend.locator('[part~="block"]').first().waitFor();
}

const nextButton = (page: Page) =>
  page.locator('dm-quick-send [part~="footer"]').getByRole('button', { name: 'Next', exact: true });

/** The frame showing the email itself: `about:srcdoc` inside the hosted preview page. */
async function waitForEmailFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const frame = page
      .frames()
      .find(
        (f) => f.url() === 'about:srcdoc' && f.parentFrame()?.url().endsWith('/api/preview-frame') === true,
      );
    if (frame && (await frame.evaluate(() => document.body?.childElementCount ?? 0)) > 0) return frame;
    if (Date.now() > deadline) throw new Error('the email never appeared in the hosted preview page');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function previewAndSend(page: Page, portal: Portal, onPreview: () => Promise<void> = async () => {}) {
  const quickSend = page.locator('dm-quick-send');
  await nextButton(page).click(); // → preview
  await quickSend.locator('[part~="frame"]').waitFor({ timeout: 10_000 });
  await onPreview();
  await nextButton(page).click(); // → send
  await quickSend.locator('[part~="send-button"]').click();
  await quickSend.locator('[part~="result"]').waitFor();
  assert.ok(portal.apiCalls.includes('POST /api/v1/sends'));
}

describe('script-tag bundle under strict CSP and Trusted Types', () => {
  let portal: Portal;
  let browser: Browser;

  before(async () => {
    portal = await startPortal();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
    exitIfStillAlive();
  });

  async function open(query = '') {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The email's images live on the brand's placeholder domain (*.example), which does not resolve.
    page.on('console', (m) => {
      const placeholder = /^https?:\/\/[^/]+\.example\//.test(m.location().url);
      if (m.type() === 'error' && !placeholder) errors.push(`console: ${m.text()} (${m.location().url})`);
    });
    await page.goto(`${portal.origin}/${query}`);
    return { page, errors };
  }

  it('enforces the policy and reports a violation (so the checks below can fail)', async () => {
    const { page } = await open();
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'https://images.invalid/pixel.png';
      document.body.append(img);
    });
    await page.waitForFunction(() => (window as unknown as { violations: unknown[] }).violations.length > 0);
    const seen = (await violations(page)) as Array<{ directive: string; blocked: string }>;
    assert.deepEqual(
      seen.map((v) => [v.directive, v.blocked]),
      [['img-src', 'https://images.invalid/pixel.png']],
    );
    await settleReports(portal, 1);
    assert.equal(portal.reports.length, 1, 'the report-uri endpoint received the report');
    await page.close();
    portal.reports.length = 0;
  });

  it('loads the showroom, picks recipients and personalizes without a violation or error', async () => {
    const { page, errors } = await open();
    await pickRecipientsAndPersonalize(page, portal);
    await settleReports(portal, 1, 500);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(portal.reports, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('previews (in the hosted preview page, styles applied) and sends without any violation or error', async () => {
    const { page, errors } = await open();
    try {
      await pickRecipientsAndPersonalize(page, portal);
      await previewAndSend(page, portal, async () => {
        // The email sits in a srcdoc frame inside the server's preview page, under that page's policy:
        // its style attributes apply (a srcdoc frame of the host page would inherit the strict policy).
        const email = await waitForEmailFrame(page);
        const styled = await email.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[style]')].map((el) => el.style.length),
        );
        assert.ok(styled.length > 0, 'the email has style attributes');
        assert.ok(
          styled.every((n) => n > 0),
          `every style attribute applies: ${styled}`,
        );
        // The page names its inner frame with the element's localized frame title.
        const outerTitle = await page.locator('dm-quick-send [part~="frame"]').getAttribute('title');
        assert.ok(outerTitle);
        assert.equal(await email.frameElement().then((f) => f.getAttribute('title')), outerTitle);
      });
      await settleReports(portal, 1, 500);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
      assert.deepEqual(portal.reports, []);
    } finally {
      await page.close();
      portal.reports.length = 0;
    }
  });

  it('works when loaded twice and under hostile host CSS', async () => {
    const { page, errors } = await open('?twice&hostile');
    try {
      // The host's inherited text properties do not reach the elements' text.
      const title = page.locator('dm-journey-showroom [part~="card-title"]').first();
      await title.waitFor();
      const text = await title.evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.color, s.letterSpacing, s.textTransform, s.wordSpacing, s.fontFamily.includes('Comic')];
      });
      assert.notEqual(text[0], 'rgba(0, 0, 0, 0)', 'text is not transparent');
      assert.deepEqual(text.slice(1), ['normal', 'none', '0px', false]);
      await pickRecipientsAndPersonalize(page, portal);
      await previewAndSend(page, portal);
      await settleReports(portal, 1, 500);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
      assert.deepEqual(portal.reports, []);
      // The second copy did not redefine anything: one class per tag, the first copy's.
      const copies = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      assert.ok(
        copies.some((u) => u.endsWith('/cdn/dm-kit.js?copy=2')),
        'the second copy was loaded',
      );
    } finally {
      await page.close();
      portal.reports.length = 0;
    }
  });

  it('reviews an approval (hosted preview) and shows a live chart and its data table without a violation', async () => {
    const { page, errors } = await open('?desk');
    try {
      const queue = page.locator('dm-approval-queue');
      await queue.locator('[part~="item"]').first().click();
      await queue.locator('[part~="preview"]').waitFor();
      const email = await waitForEmailFrame(page);
      assert.ok((await email.evaluate(() => document.body.textContent ?? '')).trim().length > 0);
      await queue.locator('[part~="approve-button"]').click();
      await queue.locator('[part~="message"], [part~="status"]').first().waitFor();

      const chart = page.locator('dm-engagement-chart');
      await page.waitForFunction(() =>
        document.querySelector('dm-engagement-chart')?.matches(':state(chart-ready)'),
      );
      await chart.locator('[part~="live-indicator"]').waitFor();
      await chart.locator('[part~="table-toggle"]').click();
      await chart.locator('[part~="table"]').waitFor();
      await settleReports(portal, 1, 500);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
      assert.deepEqual(portal.reports, []);
    } finally {
      await page.close();
      portal.reports.length = 0;
    }
  });
});

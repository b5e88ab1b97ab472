// The whole product path on `npm start` with real SMTP: a partner sends a journey that needs brand
// approval, the approver approves it in the approver desk, the first step reaches an SMTP sink, its open
// pixel and a link are fetched, one-click unsubscribe works — and the partner's chart, already open in
// live mode, shows the open, the click and the unsubscribe without a reload.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../node/sending/smtp-sink.js';
import {
  chromiumArgs,
  chromiumPath,
  exitIfStillAlive,
  sendFromShowroom,
  startDemo,
  type Started,
} from './support.js';

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('journey with approval, end to end (npm start + SMTP)', () => {
  let sink: SmtpSink;
  let demo: Started;
  let browser: Browser;
  const problems: string[] = [];

  before(async () => {
    sink = await startSmtpSink();
    demo = await startDemo({ SMTP_URL: sink.url });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    await sink?.close();
    exitIfStillAlive();
  });

  /** A page signed in as `user` (each page has its own session storage, so its own demo user). */
  async function pageAs(context: BrowserContext, path: string, user: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      const placeholder = /^https?:\/\/[^/]+\.example\//.test(m.location().url);
      if (m.type() === 'error' && !placeholder) problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    await page.goto(`${demo.url}${path}`);
    await page.locator('#portal-status', { hasText: 'Signed in as' }).waitFor();
    if ((await page.locator('#user-switcher').inputValue()) !== user) {
      await page.selectOption('#user-switcher', user);
      await page.locator('#portal-status', { hasText: 'Signed in as' }).waitFor();
    }
    return page;
  }

  async function api(user: string, path: string) {
    const session = await fetch(`${demo.url}/v1/demo/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const { token } = await session.json();
    const res = await fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.json();
  }

  it('partner sends, approver approves, the email is tracked and the partner sees it live', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // A journey this partner may use that always needs brand compliance's approval.
      const listed = (await api('u_jana', '/v1/journeys?kind=journey&limit=100')).items as {
        id: string;
        approvalRequired: boolean;
      }[];
      let journey: { id: string; name: string } | undefined;
      for (const { id } of listed.filter((j) => j.approvalRequired)) {
        const full = await api('u_jana', `/v1/journeys/${id}`);
        if (full.approvalRule.mode === 'always' && full.approvalRule.approver === 'brand_compliance') {
          journey = full;
          break;
        }
      }
      assert.ok(journey, 'a journey that always needs brand approval');

      // The partner picks it in the showroom and sends it to two contacts.
      const portal = await pageAs(context, '/demo/', 'u_jana');
      await portal.locator('dm-journey-showroom [part~="search"]').fill(journey.name);
      await sendFromShowroom(portal, journey.name, 2);

      const sends = (await api('u_jana', '/v1/sends?limit=5')).items as {
        id: string;
        journeyId: string;
        status: string;
      }[];
      const send = sends.find((s) => s.journeyId === journey.id);
      assert.ok(send, 'the send is listed');
      assert.equal(send.status, 'pending_approval');
      assert.equal(sink.messages.length, 0, 'nothing leaves before approval');

      // The partner's chart for this send, live: empty before anything happens.
      const dashboard = await pageAs(context, `/demo/dashboard.html?send=${send.id}`, 'u_jana');
      const tile = (label: string) =>
        dashboard.locator('dm-engagement-chart [part~="tiles"] .tile', { hasText: label }).locator('dd');
      await dashboard.locator('dm-engagement-chart [part~="empty"]').waitFor();

      // Brand compliance approves it in the approver desk.
      const desk = await pageAs(context, '/demo/approvals.html', 'u_compliance');
      const item = desk.locator('dm-approval-queue [part~="item"]', { hasText: journey.name }).first();
      await item.click();
      await desk.locator('dm-approval-queue [part~="approve-button"]').click();
      await waitFor('the send to leave approval', async () => {
        const detail = await api('u_jana', `/v1/sends/${send.id}`);
        return detail.status !== 'pending_approval' ? detail : undefined;
      });

      // The first step reaches the SMTP sink, once per recipient.
      const detail = await api('u_jana', `/v1/sends/${send.id}`);
      const emails: string[] = detail.recipients.map((r: { email: string }) => r.email);
      const mine = (m: SinkMessage) => emails.some((e) => m.to.includes(e));
      const messages = await waitFor('two emails in the SMTP sink', () =>
        sink.messages.filter(mine).length === 2 ? sink.messages.filter(mine) : undefined,
      );
      const receivedAt = Date.now();
      assert.equal(sink.messages.filter(mine).length, 2);
      await tile('Delivered').filter({ hasText: '2' }).waitFor();
      // Live events turned the empty state into a drawn chart (Chart.js loaded and registered).
      await dashboard.waitForFunction(() =>
        document.querySelector('dm-engagement-chart')?.matches(':state(chart-ready)'),
      );

      // A person opens it (not within the 2 s prefetch window of delivery) and clicks a link.
      const html = messages[0]!.html;
      const local = (url: string) => url.replace(/&amp;/g, '&').replace(/^https?:\/\/[^/]+/, demo.url);
      const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(html)?.[1];
      const link = /href="([^"]*\/t\/c\/[^"]+)"/.exec(html)?.[1];
      assert.ok(pixel && link, 'an open pixel and a tracked link');
      await waitFor('the prefetch window to pass', () =>
        Date.now() - receivedAt > 2_100 ? true : undefined,
      );
      assert.equal((await fetch(local(pixel), { headers: { 'user-agent': BROWSER_UA } })).status, 200);
      const click = await fetch(local(link), { headers: { 'user-agent': BROWSER_UA }, redirect: 'manual' });
      assert.equal(click.status, 302);

      // The chart shows them live: one of two recipients opened and clicked.
      await tile('Open rate').filter({ hasText: '50%' }).waitFor({ timeout: 15_000 });
      await tile('Click rate').filter({ hasText: '50%' }).waitFor({ timeout: 15_000 });

      // One-click unsubscribe from the List-Unsubscribe header.
      const unsubscribe = /<([^>]*\/u\/[^>]+)>/.exec(messages[0]!.headers.get('list-unsubscribe') ?? '')?.[1];
      assert.ok(unsubscribe, 'a List-Unsubscribe URL');
      const oneClick = await fetch(local(unsubscribe), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      assert.equal(oneClick.status, 200);
      await tile('Unsubscribes').filter({ hasText: '1' }).waitFor({ timeout: 15_000 });

      // The approval is on record with who decided.
      const decided = (await api('u_compliance', '/v1/approvals?status=decided&limit=20')).items as {
        send: { id: string };
        status: string;
        decidedBy: string;
      }[];
      const approval = decided.find((a) => a.send.id === send.id);
      assert.equal(approval?.status, 'approved');
      assert.equal(approval?.decidedBy, 'u_compliance');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

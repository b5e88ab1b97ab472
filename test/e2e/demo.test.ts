import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  chromiumArgs,
  chromiumPath,
  exitIfStillAlive,
  sendFromShowroom,
  startDemo,
  type Started,
} from './support.js';

interface OutboxItem {
  id: string;
  to: string;
  subject: string;
}

/** Polls the demo outbox until `predicate` holds (the worker delivers asynchronously). */
async function waitForOutbox(url: string, predicate: (items: OutboxItem[]) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let items: OutboxItem[] = [];
  while (Date.now() < deadline) {
    items = (await (await fetch(`${url}/demo/api/outbox`)).json()).items;
    if (predicate(items)) return items;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`outbox never matched; it holds ${JSON.stringify(items.map((i) => i.subject))}`);
}

describe('npm start (demo on the embedded database)', () => {
  let demo: Started;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    demo = await startDemo();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Seeded emails reference images on the brand's placeholder domains (*.example), which do not resolve.
      const placeholder = /^https?:\/\/[^/]+\.example\//.test(m.location().url);
      if (m.type() === 'error' && !placeholder) problems.push(`console: ${m.text()} (${m.location().url})`);
    });
  });

  const api = async (path: string, init: RequestInit = {}) => {
    const user = await page.locator('#user-switcher').inputValue();
    const session = await fetch(`${demo.url}/v1/demo/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const { token } = await session.json();
    return fetch(`${demo.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
  };

  after(async () => {
    await browser?.close();
    await demo?.stop();
    exitIfStillAlive();
  });

  it('serves the API with a valid health check', async () => {
    const res = await fetch(`${demo.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).database, 'ok');
  });

  it('shows the signed-in partner’s journeys from the embedded database in the portal page', async () => {
    await page.goto(`${demo.url}/`);
    await page.waitForURL(/\/demo\/$/);
    const cards = page.locator('dm-journey-showroom [part~="card"]');
    await cards.first().waitFor({ state: 'visible', timeout: 30_000 });
    const names = await page
      .locator('dm-journey-showroom [part~="card"] [part~="card-title"]')
      .allTextContents();
    assert.ok(names.length >= 5, `expected journeys, saw ${names.length}`);
    // Names come from the seeded database, not from the page.
    const api = await fetch(`${demo.url}/v1/demo/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: await page.locator('#user-switcher').inputValue() }),
    });
    const { token } = await api.json();
    const list = await (
      await fetch(`${demo.url}/v1/journeys?limit=5`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    assert.ok(names.map((n) => n.trim()).includes(list.items[0].name), `${list.items[0].name} not shown`);
    if (process.env.DM_SCREENSHOT)
      await page.screenshot({ path: process.env.DM_SCREENSHOT, fullPage: false });
  });

  it('quick-sends a template to three contacts; the emails reach the outbox with tracking and unsubscribe', async () => {
    const journeys = (await (await api('/v1/journeys?kind=template&limit=100')).json()).items as {
      id: string;
      name: string;
      approvalRequired: boolean;
    }[];
    const journey = journeys.find((j) => !j.approvalRequired);
    assert.ok(journey, 'a template that needs no approval');

    await sendFromShowroom(page, journey.name, 3);

    const sends = (await (await api('/v1/sends?limit=5')).json()).items as {
      id: string;
      journeyId: string;
      recipientCount: number;
    }[];
    const send = sends.find((s) => s.journeyId === journey.id);
    assert.ok(send, 'the send is listed');
    assert.equal(send.recipientCount, 3);

    const detail = await (await api(`/v1/sends/${send.id}`)).json();
    const emails = detail.recipients.map((r: { email: string }) => r.email).sort();
    const delivered = await waitForOutbox(demo.url, (items) =>
      emails.every((e: string) => items.some((i) => i.id.startsWith(send.id) && i.to.includes(e))),
    );
    const mine = delivered.filter((i) => i.id.startsWith(send.id));
    assert.equal(mine.length, 3, 'exactly one email per recipient');

    // One email as its recipient gets it: headers, pixel, a tracked link, one-click unsubscribe.
    const mail = await (await fetch(`${demo.url}/demo/api/outbox/${encodeURIComponent(mine[0]!.id)}`)).json();
    assert.match(mail.headers['list-unsubscribe-post'], /List-Unsubscribe=One-Click/);
    assert.match(mail.headers['reply-to'], /@/);
    const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(mail.html)?.[1];
    assert.ok(pixel, 'an open pixel');
    const open = await fetch(pixel.replace(/^https?:\/\/[^/]+/, demo.url));
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('content-type'), 'image/gif');
    const link = /href="([^"]*\/t\/c\/[^"]+)"/.exec(mail.html)?.[1];
    assert.ok(link, 'a tracked link');
    const click = await fetch(link.replace(/^https?:\/\/[^/]+/, demo.url), { redirect: 'manual' });
    assert.equal(click.status, 302);
    const unsubscribe = /<([^>]*\/u\/[^>]+)>/.exec(mail.headers['list-unsubscribe'])?.[1];
    assert.ok(unsubscribe, 'a List-Unsubscribe URL');
    const local = unsubscribe.replace(/^https?:\/\/[^/]+/, demo.url);
    assert.equal((await fetch(local)).status, 200, 'GET shows the page');
    const oneClick = await fetch(local, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.ok(oneClick.ok, `one-click POST answered ${oneClick.status}`);
    const recipient = detail.recipients.find((r: { email: string }) => mail.headers.to.includes(r.email));
    const contacts = (await (await api(`/v1/contacts?q=${encodeURIComponent(recipient.email)}`)).json())
      .items;
    assert.equal(contacts[0].status, 'unsubscribed');
  });

  it('switching user changes what the showroom lists (tenancy reaches the page)', async () => {
    const options = await page
      .locator('#user-switcher option')
      .evaluateAll((os) =>
        os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })),
      );
    const other = options.find((o) => /brand admin/i.test(o.label));
    assert.ok(other, 'a brand admin in the switcher');
    const before = await page.locator('dm-journey-showroom [part~="card"]').count();
    await page.selectOption('#user-switcher', other.value);
    await page.locator('#portal-status', { hasText: 'Signed in as' }).waitFor();
    await page.waitForFunction(
      (n) => {
        const el = document.querySelector('dm-journey-showroom');
        return (el?.shadowRoot?.querySelectorAll('[part~="card"]').length ?? 0) !== n;
      },
      before,
      { timeout: 15_000 },
    );
    // A brand-level user has no contacts: the portal shows why instead of a send form.
    await page.locator('#send-slot', { hasText: 'Sending is for partner users' }).waitFor();
    assert.equal(await page.locator('dm-quick-send').count(), 0);
  });

  it('logs no page errors', () => {
    assert.deepEqual(problems, []);
  });
});

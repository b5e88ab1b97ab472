import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, startDemo, type Started } from './support.js';

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
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
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
  });

  it('logs no page errors', () => {
    assert.deepEqual(problems, []);
  });
});

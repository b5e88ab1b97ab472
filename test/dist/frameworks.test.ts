// DM Kit inside React 19 (the `dm-kit/react` wrappers) and Vue 3 (plain custom elements via h()),
// each bundled by Vite from test/dist/frameworks and driven in Chromium like a person would, against
// the reference server (in process, on an in-memory database with the demo seed).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../server/app.js';
import { signToken } from '../../server/auth.js';
import { openDatabase, type OpenedDb } from '../../server/db/open.js';
import { DEMO_BRAND_ID, seedDemo } from '../../server/seed/demo.js';
import { chromiumArgs, chromiumPath, repo, serveStatic, viteBuild } from './support.js';

interface Log {
  react: string[];
  vue: string[];
}

describe('frameworks (React wrappers, Vue h())', () => {
  let out: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  let page: Page;
  let database: OpenedDb;
  /** The offers a partner user sees, as the API lists them. */
  let offers: { id: string; name: string }[];
  const errors: string[] = [];

  before(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'dm-frameworks-'));
    await viteBuild(path.join(repo, 'test/dist/frameworks'), out);
    server = await serveStatic(out);
    database = await openDatabase();
    await seedDemo(database.db);
    const secret = 'frameworks-test-secret-0123456789-abcd';
    const app = createApp({ db: database.db, secret });
    const token = await signToken(secret, {
      sub: 'u_jana',
      brand: DEMO_BRAND_ID,
      partner: 'partner_north',
      role: 'partner',
    });
    const listed = await app.request('/v1/journeys?category=offer', {
      headers: { authorization: `Bearer ${token}` },
    });
    offers = ((await listed.json()) as { items: { id: string; name: string }[] }).items;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage();
    await page.addInitScript((t) => ((window as unknown as { dmToken: string }).dmToken = t), token);
    await page.route(`${server.url}/api/**`, async (route) => {
      const request = route.request();
      const body = request.postDataBuffer();
      const response = await app.fetch(
        new Request(request.url().replace('/api/', '/'), {
          method: request.method(),
          headers: await request.allHeaders(),
          body: body ? new Uint8Array(body) : undefined,
        }),
      );
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    await page.goto(`${server.url}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  const log = () => page.evaluate(() => (window as unknown as { log: Log }).log);

  for (const framework of ['react', 'vue'] as const) {
    it(`${framework}: cards render from the client it passed, and "Use this journey" reaches its handler`, async () => {
      const cards = page.locator(`#${framework} dm-journey-showroom [part~="card"]`);
      await cards.first().waitFor({ state: 'visible', timeout: 15_000 });
      // `category` reached the element (a property from React, an attribute from Vue): offers only.
      assert.ok(offers.length >= 2, 'the demo catalogue has offers to choose from');
      const titles = await page
        .locator(`#${framework} dm-journey-showroom [part~="card-title"]`)
        .allTextContents();
      assert.deepEqual(
        titles.map((t) => t.trim()),
        offers.map((j) => j.name),
      );
      assert.deepEqual((await log())[framework], []);
      await cards.nth(1).getByRole('button', { name: 'Use this journey' }).click();
      await page.waitForFunction((f) => (window as unknown as { log: Log }).log[f].length > 0, framework);
      assert.deepEqual((await log())[framework], [offers[1]!.id]);
      if (framework === 'vue') {
        assert.equal(await page.locator('#vue-last').textContent(), offers[1]!.name);
      }
    });
  }

  it('logs no errors', () => {
    assert.deepEqual(errors, []);
  });
});

// DM Kit inside React 19 (the `dm-kit/react` wrappers) and Vue 3 (plain custom elements via h()),
// each bundled by Vite from test/dist/frameworks and driven in Chromium like a person would.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sampleJourneys } from '../../stories/support/mock-api.js';
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
  const errors: string[] = [];

  before(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'dm-frameworks-'));
    await viteBuild(path.join(repo, 'test/dist/frameworks'), out);
    server = await serveStatic(out);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    await page.goto(`${server.url}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  const log = () => page.evaluate(() => (window as unknown as { log: Log }).log);

  for (const framework of ['react', 'vue'] as const) {
    it(`${framework}: cards render from the client it passed, and "Use this journey" reaches its handler`, async () => {
      const cards = page.locator(`#${framework} dm-journey-showroom [part~="card"]`);
      await cards.first().waitFor({ state: 'visible', timeout: 15_000 });
      // `category` reached the element (a property from React, an attribute from Vue): offers only.
      const offers = sampleJourneys.filter((j) => j.category === 'offer');
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

// The published package as a stranger installs it: build, `npm pack`, install the tarball into an
// empty project, then use it from Node, from TypeScript and from a Vite-bundled page in Chromium.
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, must, repo, run, serveStatic, viteBuild } from './support.js';

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

describe('npm package (packed tarball installed into an empty project)', () => {
  let work: string;
  let project: string;
  let packed: PackResult;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'dm-pack-'));
    project = path.join(work, 'app');
    await must('npm', ['run', 'build:npm']);
    const manifest = await access(path.join(repo, 'custom-elements.json')).then(
      () => true,
      () => false,
    );
    if (!manifest) await must('npm', ['run', 'analyze']);
    const json = await must('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work]);
    packed = (JSON.parse(json.slice(json.indexOf('['))) as PackResult[])[0]!;

    await mkdir(project, { recursive: true });
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'stranger-app', version: '1.0.0', private: true, type: 'module' }),
    );
    const tarball = path.join(work, packed.filename);
    const flags = ['--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'];
    // Dependencies come from the npm cache when they are there; the registry otherwise.
    const offline = await run('npm', ['install', tarball, '--offline', ...flags], project);
    if (offline.code !== 0) await must('npm', ['install', tarball, '--prefer-offline', ...flags], project);
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships the builds, the types, the manifest and the README', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const file of [
      'package.json',
      'README.md',
      'custom-elements.json',
      'dist/npm/index.js',
      'dist/npm/sdk.js',
      'dist/npm/contract.js',
      'dist/npm/elements/provider.js',
      'dist/npm/elements/journey-showroom.js',
      'dist/npm/elements/quick-send.js',
      'dist/types/index.d.ts',
      'dist/types/sdk/index.d.ts',
      'dist/types/contract/index.d.ts',
      'dist/npm/react.js',
      'dist/types/react/index.d.ts',
    ]) {
      assert.ok(files.has(file), `${file} missing from the tarball`);
    }
    assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/')), 'sources leaked in');
  });

  it('points every export at a file in the tarball', async () => {
    const pkg = JSON.parse(await readFile(path.join(project, 'node_modules/dm-kit/package.json'), 'utf8'));
    const files = new Set(packed.files.map((f) => f.path));
    for (const [key, target] of Object.entries<string | Record<string, string>>(pkg.exports)) {
      if (key.includes('*')) continue;
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        assert.ok(files.has(file.replace(/^\.\//, '')), `exports["${key}"] → ${file} is not packed`);
      }
    }
  });

  it('runs the SDK and the contract in plain Node (no DOM)', async () => {
    await writeFile(
      path.join(project, 'node-check.js'),
      `import { createClient, isDmApiError } from 'dm-kit/sdk';
import { JourneyPage } from 'dm-kit/contract';
const page = { items: [], nextCursor: null, total: 0 };
const fetch = async (input) => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (url.pathname !== '/v1/journeys') return new Response('{}', { status: 404 });
  return new Response(JSON.stringify(page), { headers: { 'content-type': 'application/json' } });
};
const client = createClient({ baseUrl: 'https://dm.example', token: 't', fetch, retry: { limit: 0 } });
const listed = await client.journeys.list();
if (listed.total !== 0 || !JourneyPage.safeParse(page).success) throw new Error('bad page');
if (JourneyPage.safeParse({ items: 'nope' }).success) throw new Error('schema accepted junk');
const failed = await client.journeys.get('missing').catch((e) => e);
if (!isDmApiError(failed)) throw new Error('expected a DmApiError, got ' + failed);
console.log('ok');
`,
    );
    const out = await must(process.execPath, ['node-check.js'], project);
    assert.match(out, /^ok$/m);
  });

  it('resolves the types with TypeScript (moduleResolution bundler)', async () => {
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
    await writeFile(
      path.join(project, 'typed.ts'),
      `import { createClient, type DmClient, type DmApiError } from 'dm-kit/sdk';
import type { JourneySummary } from 'dm-kit/contract';
import type { DmJourneyShowroom } from 'dm-kit';
import 'dm-kit/elements/journey-showroom.js';

const client: DmClient = createClient({ baseUrl: '/dm' });
export async function names(): Promise<string[]> {
  const page = await client.journeys.list({ q: 'welcome' });
  return page.items.map((j: JourneySummary) => j.name);
}
export const kind = (e: DmApiError): string => e.kind;
const el: DmJourneyShowroom = document.createElement('dm-journey-showroom');
el.addEventListener('dm-journey-select', (e) => console.log(e.detail.journey.id));
// @ts-expect-error pageSize is a number
el.pageSize = 'many';
`,
    );
    await must(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);
  });

  it('defines the elements in a Vite-bundled page in Chromium', async () => {
    const page = path.join(project, 'page');
    await mkdir(page, { recursive: true });
    await writeFile(
      path.join(page, 'index.html'),
      '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><dm-provider><dm-journey-showroom></dm-journey-showroom></dm-provider>' +
        '<script type="module" src="./main.js"></script></body></html>',
    );
    await writeFile(
      path.join(page, 'main.js'),
      `import 'dm-kit/elements/provider.js';
import 'dm-kit/elements/journey-showroom.js';
import { DmJourneyShowroom } from 'dm-kit';
window.sameClass = customElements.get('dm-journey-showroom') === DmJourneyShowroom;
window.ready = true;
`,
    );
    await viteBuild(page);
    const server = await serveStatic(path.join(page, 'dist'));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await tab.goto(`${server.url}/`);
      await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const state = await tab.evaluate(() => ({
        showroom: customElements.get('dm-journey-showroom') !== undefined,
        provider: customElements.get('dm-provider') !== undefined,
        sameClass: (window as unknown as { sameClass: boolean }).sameClass,
        upgraded: document.querySelector('dm-journey-showroom')?.shadowRoot !== null,
      }));
      assert.deepEqual(state, { showroom: true, provider: true, sameClass: true, upgraded: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

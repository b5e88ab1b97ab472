/**
 * `<dm-journey-showroom>` with 10,000 journeys against a plain (non-virtualized) Lit list of the same
 * cards, in headless Chromium: time to mount (first cards painted), time to filter to one category, the
 * longest frame while scrolling the filtered list 150 px per frame, DOM nodes, and the longest task of
 * each phase (PerformanceObserver `longtask`, which sees only tasks of 50 ms or more, so 0 means none).
 * Each run is a fresh page; "first on the page" includes compiling the code and shaping the first text,
 * "page in use" mounts and removes a small instance first. Medians of several runs. The page
 * (`bench/showroom/page.ts`) is bundled with Vite into a temp directory and served from a local server.
 *
 *   npx tsx bench/showroom.bench.ts          (RUNS=7 for more runs)
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { report, spread } from './lib/report.js';
import type { RunResult } from './showroom/page.js';

const RUNS = Number(process.env.RUNS ?? 5);
const root = path.dirname(fileURLToPath(import.meta.url));

async function bundle(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dm-showroom-bench-'));
  await writeFile(
    path.join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>showroom bench</title><link rel="icon" href="data:,"></head>` +
      `<body><div id="host"></div><script type="module" src="./main.ts"></script></body></html>`,
  );
  await writeFile(
    path.join(dir, 'main.ts'),
    `import { install } from ${JSON.stringify(path.join(root, 'showroom/page.ts'))};\ninstall();\n`,
  );
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, target: 'es2022', minify: true },
  });
  return dir;
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.join(dir, 'dist', pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(path.join(dir, 'dist'))) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
      });
    }),
  );
}

const dir = await bundle();
const { server, url } = await serve(dir);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

type Kind = 'showroom' | 'plain';
type Mode = 'cold' | 'warm';
const samples: Record<`${Kind} ${Mode}`, RunResult[]> = {
  'showroom cold': [],
  'plain cold': [],
  'showroom warm': [],
  'plain warm': [],
};
try {
  for (let i = 0; i < RUNS; i++) {
    const order: Array<[Kind, Mode]> = [
      ['showroom', 'cold'],
      ['plain', 'cold'],
      ['showroom', 'warm'],
      ['plain', 'warm'],
    ];
    // Alternate the order, so drift on a noisy machine hits both alike.
    for (const [kind, mode] of i % 2 ? order.reverse() : order) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(url);
      await page
        .waitForFunction(() => 'showroomBench' in window, undefined, { timeout: 10_000 })
        .catch(() => {
          throw new Error(`the bench page did not start: ${errors.join('; ') || 'no error reported'}`);
        });
      const result = await page.evaluate(
        ([k, warm]) =>
          (
            window as unknown as { showroomBench: { run(k: string, warm: boolean): Promise<RunResult> } }
          ).showroomBench.run(k, warm),
        [kind, mode === 'warm'] as const,
      );
      if (errors.length) throw new Error(`${kind}: ${errors.join('; ')}`);
      samples[`${kind} ${mode}`].push(result);
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}

const pick = (kind: Kind, mode: Mode, key: keyof RunResult) =>
  spread(samples[`${kind} ${mode}`].map((r) => r[key]));
const rows: Array<[string, Mode, keyof RunResult, string]> = [
  ['mount 10,000, first on the page', 'cold', 'mountMs', 'ms'],
  ['mount 10,000, page in use', 'warm', 'mountMs', 'ms'],
  ['filter to one category (1,250)', 'warm', 'filterMs', 'ms'],
  ['longest frame scrolling (150 px/frame)', 'warm', 'scrollFrameMs', 'ms'],
  ['longest task mounting, first on the page', 'cold', 'mountTaskMs', 'ms'],
  ['longest task mounting, page in use', 'warm', 'mountTaskMs', 'ms'],
  ['longest task filtering', 'warm', 'filterTaskMs', 'ms'],
  ['longest task scrolling', 'warm', 'scrollTaskMs', 'ms'],
  ['DOM nodes after mount', 'warm', 'domNodes', 'nodes'],
  ['DOM nodes after scrolling', 'warm', 'domNodesAfterScroll', 'nodes'],
  ['cards in the DOM', 'warm', 'cardsInDom', 'cards'],
];

console.log(
  `\n<dm-journey-showroom> vs a plain Lit list, 10,000 journeys, Chromium 1280×900, median of ${RUNS} ` +
    '(min–max); long tasks are those of 50 ms or more (0 = none)',
);
console.table(
  Object.fromEntries(
    rows.map(([label, mode, key, unit]) => {
      const fmt = (s: { value: number; min: number; max: number }) =>
        `${Math.round(s.value).toLocaleString('en')} ${unit} (${Math.round(s.min)}–${Math.round(s.max)})`;
      return [
        label,
        { showroom: fmt(pick('showroom', mode, key)), 'plain Lit list': fmt(pick('plain', mode, key)) },
      ];
    }),
  ),
);

report(
  'showroom: 10,000 journeys',
  rows
    .filter(([, , key]) => key !== 'cardsInDom' && key !== 'domNodesAfterScroll')
    .map(([name, mode, key, unit]) => {
      const ours = pick('showroom', mode, key);
      const peer = pick('plain', mode, key);
      return {
        name,
        unit,
        better: 'lower' as const,
        ours: ours.value,
        peer: peer.value,
        peerName: 'plain Lit list',
        min: ours.min,
        max: ours.max,
        ...(key === 'mountTaskMs' || key === 'filterTaskMs' ? { target: { absolute: 50 } } : {}),
      };
    }),
);

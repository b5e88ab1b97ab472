/**
 * `<dm-journey-showroom>` with 10,000 journeys against a plain (non-virtualized) Lit list of the same
 * cards, in headless Chromium: time to mount (first cards painted), time to filter to one category, the
 * longest frame while scrolling the filtered list 150 px per frame, DOM nodes, and the longest task of
 * each phase (PerformanceObserver `longtask`, which sees only tasks of 50 ms or more, so 0 means none).
 * Each run is a fresh page; "first on the page" includes compiling the code and shaping the first text,
 * "page in use" mounts and removes a small instance first. Medians of several runs. The page
 * (`bench/showroom/page.ts`) is bundled with Vite into a temp directory and served from a local server
 * (`bench/lib/browser-page.ts`).
 *
 *   npx tsx bench/showroom.bench.ts          (RUNS=7 for more runs)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserBench } from './lib/browser-page.js';
import { report, spread } from './lib/report.js';
import type { RunResult } from './showroom/page.js';

const RUNS = Number(process.env.RUNS ?? 5);
/** The plain list takes seconds per mount and varies little: fewer runs. */
const PEER_RUNS = Math.min(RUNS, 3);
const root = path.dirname(fileURLToPath(import.meta.url));

const bench = await startBrowserBench({
  module: path.join(root, 'showroom/page.ts'),
  prefix: 'dm-showroom-bench-',
  title: 'showroom bench',
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
      if (kind === 'plain' && i >= PEER_RUNS) continue;
      const result = await bench.run<RunResult>('showroomBench', [kind, mode === 'warm'], {
        viewport: { width: 1280, height: 900 },
      });
      samples[`${kind} ${mode}`].push(result);
    }
  }
} finally {
  await bench.close();
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
  `\n<dm-journey-showroom> vs a plain Lit list, 10,000 journeys, Chromium 1280×900, median of ${RUNS} (plain list: ${PEER_RUNS}) ` +
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

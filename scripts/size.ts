// Script-tag payload: gzip of what a browser actually fetches (an entry and its static imports), for a
// page with every element, a page with only the showroom (autoloader), the lazily loaded chart chunk
// and the lazily loaded translation tables (`chunks/locales/`, fetched only for a page in that
// language). A comparable peer set (Shoelace's published CDN modules) is measured the same way.
// Prints the figures, writes dist/cdn/sizes.json; budgets are reported, not enforced.
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { report, type Figure } from '../bench/lib/report.js';

const STATIC_IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+)["']/g;
/** `import('./x.js')`, also with the template literal minifiers emit (`import(\`./x.js\`)`). */
const DYNAMIC_IMPORT = /import\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

async function graph(entry: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = await readFile(entry, 'utf8');
  for (const [, spec] of code.matchAll(STATIC_IMPORT)) {
    if (spec!.startsWith('.')) await graph(path.resolve(path.dirname(entry), spec!), seen);
  }
  return seen;
}

async function dynamicTargets(files: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const code = await readFile(file, 'utf8');
    for (const [, spec] of code.matchAll(DYNAMIC_IMPORT)) {
      if (spec!.startsWith('.')) out.push(path.resolve(path.dirname(file), spec!));
    }
  }
  return out;
}

async function gzipKb(files: Iterable<string>): Promise<number> {
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(file), { level: 9 }).length;
  return bytes / 1024;
}

const union = async (entries: string[]) => {
  const all = new Set<string>();
  for (const e of entries) await graph(e, all);
  return all;
};

const cdn = 'dist/cdn';
const everything = await union([`${cdn}/dm-kit.js`]);
const showroomOnly = await union([
  `${cdn}/auto/autoloader.js`,
  `${cdn}/auto/elements/provider.js`,
  `${cdn}/auto/elements/journey-showroom.js`,
]);
const isLocale = (file: string) => path.basename(path.dirname(file)) === 'locales';
const lazy = new Set<string>();
const locales = new Set<string>();
for (const target of await dynamicTargets(everything)) await graph(target, isLocale(target) ? locales : lazy);
for (const f of everything) {
  lazy.delete(f);
  locales.delete(f);
}

const shoelace = 'node_modules/@shoelace-style/shoelace/cdn/components';
const peerSet = ['select', 'dialog', 'button', 'tab-group', 'tab', 'tab-panel'].map(
  (c) => `${shoelace}/${c}/${c}.js`,
);
const peerAvailable = peerSet.every((f) => existsSync(f));
const peer = peerAvailable ? await gzipKb(await union(peerSet)) : 0;
const peerOne = peerAvailable ? await gzipKb(await union([`${shoelace}/select/select.js`])) : 0;

const sizes = {
  allElements: await gzipKb(everything),
  showroomOnly: await gzipKb(showroomOnly),
  chartChunk: await gzipKb(lazy),
  localeChunks: await gzipKb(locales),
  peerShoelaceSet: peer,
};
await writeFile(`${cdn}/sizes.json`, JSON.stringify(sizes, null, 2) + '\n');

/**
 * Where the bytes go (source-map attribution of the minified shared chunk, 2026-11-27) and what was tried.
 */
const MISS_REASON =
  'Why: the shared chunk every page loads is mostly the libraries behind the contract and the SDK — zod ' +
  '(classic API, ~80 KB minified: its methods keep every check and format reachable) and ky (~23 KB) — ' +
  'plus Lit (~14 KB) and the English table (~21 KB); the elements themselves are 20–40 KB minified each. ' +
  'zod/mini (about 15 KB gzip less per page) does not work with the OpenAPI generator the server uses ' +
  '(@asteasolutions/zod-to-openapi calls .meta() on every schema); the Chinese table is already fetched ' +
  'only when shown. Left: contract per resource, English per element.';

const figures: Figure[] = [
  {
    name: 'page with every element (chart code excluded), KB gzip',
    unit: 'KB',
    better: 'lower',
    ours: sizes.allElements,
    peer,
    peerName: 'Shoelace select+dialog+button+tab-group',
    target: { absolute: 60 },
    note: MISS_REASON,
  },
  {
    name: 'page with only the showroom (autoloader), KB gzip',
    unit: 'KB',
    better: 'lower',
    ours: sizes.showroomOnly,
    peer: peerOne,
    peerName: 'Shoelace select alone',
    target: { absolute: 40 },
    note: MISS_REASON,
  },
];
if (lazy.size) {
  figures.push({
    name: 'chart chunk, fetched only with a chart, KB gzip',
    unit: 'KB',
    better: 'lower',
    ours: sizes.chartChunk,
    peer: sizes.allElements,
    peerName: 'everything else',
    target: { absolute: 55 },
  });
}
if (locales.size) {
  figures.push({
    name: 'translations other than English, fetched only in that language, KB gzip',
    unit: 'KB',
    better: 'lower',
    ours: sizes.localeChunks,
    peer: sizes.allElements,
    peerName: 'everything else',
  });
}
report('script-tag payload', figures);

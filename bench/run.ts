// `npm run bench`: runs every bench/*.bench.ts in turn, collects their figures, prints one table and
// writes bench/results.json and bench/RESULTS.md. Budgets are reported, never enforced here.
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { advantage, meetsTarget, RESULT_PREFIX, type Figure } from './lib/report.js';

type Result = Figure & { bench: string };

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter(
  (f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o))),
);
const results: Result[] = [];
const failures: string[] = [];
const started = performance.now();

for (const file of files.sort()) {
  console.log(`\n━━ ${file} ━━`);
  const t0 = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npx', ['tsx', path.join(dir, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else console.log(line);
      }
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) failures.push(file);
  console.log(`(${file}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

const fmt = (n: number) =>
  Math.abs(n) >= 100
    ? Math.round(n).toLocaleString('en')
    : n.toLocaleString('en', { maximumFractionDigits: 2 });
const rows = results.map((r) => {
  const ok = meetsTarget(r);
  return {
    bench: r.bench,
    figure: r.name,
    ours: `${fmt(r.ours)} ${r.unit}${r.min !== undefined ? ` (${fmt(r.min)}–${fmt(r.max ?? r.ours)})` : ''}`,
    peer: `${fmt(r.peer)} ${r.unit} (${r.peerName})`,
    vsPeer: `${fmt(advantage(r))}×`,
    budget: ok === undefined ? '—' : ok ? 'met' : '**not met**',
  };
});

const markdown = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ${process.version}. "vs peer" > 1 means DM Kit is ahead.`,
  '',
  '| bench | figure | DM Kit (min–max) | peer | vs peer | budget |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.bench} | ${r.figure} | ${r.ours} | ${r.peer} | ${r.vsPeer} | ${r.budget} |`),
  '',
].join('\n');

await writeFile(path.join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
await writeFile(path.join(dir, 'RESULTS.md'), markdown);
console.log('\n━━ all benchmarks ━━');
console.table(rows);
const met = results.filter((r) => meetsTarget(r) === true).length;
const missed = results.filter((r) => meetsTarget(r) === false).length;
console.log(
  `${results.length} figures from ${files.length} benchmarks in ${((performance.now() - started) / 1000).toFixed(0)} s; budgets met ${met}, not met ${missed}` +
    (failures.length ? `; FAILED to run: ${failures.join(', ')}` : ''),
);
process.exit(failures.length ? 1 : 0);

// `npm run bench`: runs every bench/*.bench.ts in turn, collects their figures, prints one table and
// writes bench/results.json and bench/RESULTS.md, and the short table in the README. Budgets are
// reported, never enforced here.
// `npm run bench -- pixel start` runs only the benchmarks whose file name contains one of the words and
// keeps the other benchmarks' figures from the last run in the files.
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { cells, meetsTarget, RESULT_PREFIX, type Figure } from './lib/report.js';

type Result = Figure & { bench: string; file?: string };

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o))))
  .sort();
const results: Result[] = [];
const failures: string[] = [];
const durations: string[] = [];
const started = performance.now();

for (const file of files) {
  console.log(`\n━━ ${file} ━━`);
  const t0 = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npx', ['tsx', path.join(dir, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    const take = (line: string) => {
      if (line.startsWith(RESULT_PREFIX)) {
        results.push({ ...(JSON.parse(line.slice(RESULT_PREFIX.length)) as Result), file });
      } else console.log(line);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        take(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    child.on('close', (c) => {
      if (buffer) take(buffer);
      resolve(c ?? 1);
    });
  });
  if (code !== 0) failures.push(file);
  const seconds = (performance.now() - t0) / 1000;
  durations.push(`${file} ${seconds.toFixed(0)} s${code !== 0 ? ' (failed)' : ''}`);
  console.log(`(${file}: ${seconds.toFixed(1)} s)`);
}
const wall = (performance.now() - started) / 1000;

// A partial run keeps the figures of the benchmarks it did not run.
if (only.length) {
  const previous = JSON.parse(
    await readFile(path.join(dir, 'results.json'), 'utf8').catch(() => '[]'),
  ) as Result[];
  results.unshift(...previous.filter((r) => !r.file || !files.includes(r.file)));
  // Stable: figures keep their order within a benchmark, benchmarks run in file order.
  results.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''));
}

const rows = results.map((r) => ({ bench: r.bench, ...cells(r) }));
const silent = files.filter((f) => !failures.includes(f) && !results.some((r) => r.file === f));
const cell = (s: string) => s.replace(/\|/g, '\\|');
const budgetCell = (budget: string) =>
  budget === '—' ? '—' : cell(budget.replace(/NOT met$/, '**not met**'));
const notes = results.filter((r) => r.note);
const cpus = os.cpus();
const markdown = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${process.platform}/${process.arch}, Node ${process.version}` +
    (only.length ? '' : `; the whole run took ${Math.round(wall)} s (${durations.join(', ')})`) +
    '. DM Kit and its peer are measured in the same run; "vs peer" > 1 means DM Kit is ahead. ' +
    'Values are medians, with min–max of the runs in parentheses where several were taken.',
  ...(failures.length
    ? [
        '',
        `**Failed** (exited with an error; their figures below may be incomplete): ${failures.join(', ')}.`,
      ]
    : []),
  ...(silent.length
    ? ['', `No figures reported (the bench prints its own tables): ${silent.join(', ')}.`]
    : []),
  '',
  '| bench | figure | DM Kit (min–max) | peer (min–max) | vs peer | budget |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${cell(r.bench)} | ${cell(r.figure)} | ${cell(r.ours)} | ${cell(r.peer)} | ${r.vsPeer} | ${budgetCell(r.budget)} |`,
  ),
  ...(notes.length
    ? ['', 'Notes:', '', ...notes.map((r) => `- **${r.bench}, ${r.name}**: ${r.note!.replace(/\s+/g, ' ')}`)]
    : []),
  '',
].join('\n');

// Written as Prettier would write them, so `prettier --check` passes on the generated files.
const write = async (file: string, text: string) => {
  const target = path.join(dir, file);
  const options = (await prettier.resolveConfig(target)) ?? {};
  await writeFile(target, await prettier.format(text, { ...options, filepath: target }));
};
await write('results.json', JSON.stringify(results, null, 2));
await write('RESULTS.md', markdown);

// The README's short table: between its markers, the figures with budgets and ratios, no notes.
const readme = path.join(dir, '..', 'README.md');
const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';
const current = await readFile(readme, 'utf8');
if (current.includes(START) && current.includes(END)) {
  const latest = only.length
    ? `Latest figures from runs up to ${new Date().toISOString().slice(0, 10)}`
    : `Latest run: ${new Date().toISOString().slice(0, 10)}, ${Math.round(wall / 60)} min for the whole run`;
  const section = [
    START,
    '',
    `${latest}, ${cpus.length} cores, Node ${process.version}. "vs peer" > 1 means DM Kit is ahead. The reasons ` +
      'behind the figures, and why budgets are missed, are in [bench/RESULTS.md](bench/RESULTS.md).',
    '',
    '| figure | DM Kit (min–max) | peer | vs peer | budget |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${cell(`${r.bench}: ${r.figure}`)} | ${cell(r.ours)} | ${cell(r.peer)} | ${r.vsPeer} | ${budgetCell(r.budget)} |`,
    ),
    '',
    END,
  ].join('\n');
  const updated =
    current.slice(0, current.indexOf(START)) + section + current.slice(current.indexOf(END) + END.length);
  const options = (await prettier.resolveConfig(readme)) ?? {};
  await writeFile(readme, await prettier.format(updated, { ...options, filepath: readme }));
}
console.log('\n━━ all benchmarks ━━');
console.table(rows);
for (const r of notes) console.log(`note (${r.bench}, ${r.name}): ${r.note}`);
const met = results.filter((r) => meetsTarget(r) === true).length;
const missed = results.filter((r) => meetsTarget(r) === false).length;
console.log(
  `${results.length} figures from ${files.length} benchmarks in ${wall.toFixed(0)} s; budgets met ${met}, not met ${missed}` +
    (failures.length ? `; FAILED to run: ${failures.join(', ')}` : '') +
    (silent.length ? `; no figures from ${silent.join(', ')}` : ''),
);
process.exit(failures.length ? 1 : 0);

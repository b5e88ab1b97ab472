// `npm test`: every check and every test suite, one summary at the end.
// Phases run in sequence (2 cores); a failing phase does not stop the others.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgres } from '../test/node/support/postgres.js';

interface Result {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  ok: boolean;
}

const results: Result[] = [];
const only = process.argv.slice(2);
const work = await mkdtemp(path.join(tmpdir(), 'dm-test-'));

function exec(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function phase(name: string, run: () => Promise<Omit<Result, 'name' | 'seconds'>>) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n━━ ${name} ━━`);
  const start = performance.now();
  let result: Omit<Result, 'name' | 'seconds'>;
  try {
    result = await run();
  } catch (error) {
    console.error(error);
    result = { passed: 0, failed: 1, skipped: 0, ok: false };
  }
  results.push({ name, ...result, seconds: (performance.now() - start) / 1000 });
}

/** A check without test counts (type-check, lint, build): one pass or one failure. */
const check = (cmd: string, args: string[]) => async () => {
  const code = await exec(cmd, args);
  return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, ok: code === 0 };
};

/** Every `*.test.ts` under `dir` (Node 20's test runner takes no globs). */
async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Node's test runner: spec to the console, TAP to a file whose totals we read. */
const nodeTests =
  (name: string, dir: string, env: Record<string, string> = {}) =>
  async () => {
    const tap = path.join(work, `${name}.tap`);
    const code = await exec(
      'node',
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...(await testFiles(dir)),
      ],
      env,
    );
    const text = await readFile(tap, 'utf8').catch(() => '');
    const count = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const failed = count('fail') + count('cancelled');
    return {
      passed: count('pass'),
      failed: failed || (code === 0 ? 0 : 1),
      skipped: count('skipped'),
      ok: code === 0,
    };
  };

await phase('typecheck', check('npx', ['tsc', '--noEmit', '-p', '.']));
await phase('lint', async () => {
  const eslint = await exec('npx', ['eslint', '.', '--max-warnings', '0']);
  const prettier = await exec('npx', ['prettier', '--check', '.', '--log-level', 'warn']);
  const failed = (eslint ? 1 : 0) + (prettier ? 1 : 0);
  return { passed: 2 - failed, failed, skipped: 0, ok: failed === 0 };
});

await phase('server+sdk', async () => {
  const pg = await startPostgres();
  try {
    return await nodeTests('node', 'test/node', { DM_TEST_PG_URL: pg.url })();
  } finally {
    await pg.stop();
  }
});

await phase('elements', async () => {
  const counts = path.join(work, 'wtr.json');
  const code = await exec('npx', ['wtr'], { DM_WTR_COUNTS: counts });
  const c = JSON.parse(await readFile(counts, 'utf8').catch(() => '{"passed":0,"failed":0,"skipped":0}'));
  return { passed: c.passed, failed: c.failed || (code === 0 ? 0 : 1), skipped: c.skipped, ok: code === 0 };
});

await phase('build', check('npm', ['run', '--silent', 'build']));
await phase('dist', nodeTests('dist', 'test/dist'));
await phase('storybook', check('npm', ['run', '--silent', 'build-storybook']));
await phase('stories', async () => {
  const report = path.join(work, 'stories.json');
  const code = await exec('npx', [
    'vitest',
    'run',
    '--project=storybook',
    '--reporter=dot',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  const r = JSON.parse(await readFile(report, 'utf8').catch(() => '{}'));
  const failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
  return {
    passed: r.numPassedTests ?? 0,
    failed: failed || (code === 0 ? 0 : 1),
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    ok: code === 0,
  };
});
await phase('e2e', nodeTests('e2e', 'test/e2e'));

await rm(work, { recursive: true, force: true });

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\n━━ summary ━━');
for (const r of results) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  const mark = r.ok && r.failed === 0 ? 'ok  ' : 'FAIL';
  console.log(
    `${mark} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s`,
  );
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(results.every((r) => r.ok && r.failed === 0) ? 0 : 1);

/**
 * `npm start` until the demo answers (`GET /` — a redirect to the demo portal, followed — and
 * `GET /healthz` both 2xx): cold, with a fresh empty DM_DATA_DIR and the script-tag build forced (build,
 * migrations, demo seed), and warm, again on the same data directory with nothing to rebuild. Peer: the smallest Hono app on
 * @hono/node-server (bench/lib/bare-hono.ts) started with `node --import tsx` until it answers the same
 * two paths. Every start gets its own free loopback port and is stopped (its whole process tree) before
 * the next; each cold/warm pair has its own temporary data directory, removed afterwards.
 * Budgets are what the README promises: the first start about half a minute, later starts seconds.
 *
 *   npx tsx bench/start.bench.ts [runs=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch, type Launched } from './lib/process.js';
import { report, spread, type Figure } from './lib/report.js';

const RUNS = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
/** Written by `npm start` after a script-tag build; without it the next start builds. */
const BUILD_STAMP = path.join(root, 'dist/.cdn-inputs');
const READY_LINE = /DM Kit server on http:\/\/127\.0\.0\.1:(\d+)\/ \(.*ready in (\d+) ms\)/;

/** The environment of a start: ours only, nothing inherited that points elsewhere. */
function env(port: number, dataDir?: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'DM_PUBLIC_URL', 'DM_SECRET', 'DM_DEMO']) delete e[name];
  if (dataDir) e.DM_DATA_DIR = dataDir;
  return e;
}

const urls = (port: number) => [`http://127.0.0.1:${port}/`, `http://127.0.0.1:${port}/healthz`];

interface Start {
  ms: number;
  /** From spawn until the server printed its address. */
  printedMs: number;
  /** The server's own "ready in" (opening the database, migrations, seed). */
  serverMs: number;
}

async function npmStart(dataDir: string): Promise<Start> {
  const port = await freePort();
  let started: Launched | undefined;
  try {
    started = await launch('npm', ['start'], {
      cwd: root,
      env: env(port, dataDir),
      urls: urls(port),
      timeoutMs: 180_000,
      mark: READY_LINE,
    });
    const [, printedPort, readyIn] = READY_LINE.exec(started.output())!;
    if (Number(printedPort) !== port) throw new Error(`npm start printed port ${printedPort}, not ${port}`);
    return { ms: started.ms, printedMs: started.markedAt!, serverMs: Number(readyIn) };
  } finally {
    await started?.stop();
  }
}

async function bareStart(): Promise<number> {
  const port = await freePort();
  const started = await launch('node', ['--import', 'tsx', path.join(root, 'bench/lib/bare-hono.ts')], {
    cwd: root,
    env: env(port),
    urls: urls(port),
    timeoutMs: 60_000,
  });
  await started.stop();
  return started.ms;
}

const cold: Start[] = [];
const warm: Start[] = [];
const bare: number[] = [];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
for (let run = 1; run <= RUNS; run++) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dm-start-bench-'));
  try {
    await rm(BUILD_STAMP, { force: true }); // cold: the script-tag bundle is built again
    cold.push(await npmStart(dataDir));
    warm.push(await npmStart(dataDir));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  bare.push(await bareStart());
  const [c, w] = [cold.at(-1)!, warm.at(-1)!];
  console.log(
    `  run ${run}: cold ${s(c.ms)} (address printed at ${s(c.printedMs)}, server ready in ${s(c.serverMs)}), ` +
      `warm ${s(w.ms)} (printed at ${s(w.printedMs)}, ready in ${s(w.serverMs)}), bare Hono ${s(bare.at(-1)!)}`,
  );
}

const peer = spread(bare.map((ms) => ms / 1000));
const figure = (label: string, starts: Start[], budget: number, rest: string): Figure => {
  const total = spread(starts.map((x) => x.ms / 1000));
  const server = spread(starts.map((x) => x.serverMs / 1000)).value;
  const printed = spread(starts.map((x) => x.printedMs / 1000)).value;
  return {
    name: `npm start until / and /healthz answer, ${label}`,
    unit: 's',
    better: 'lower',
    ours: total.value,
    min: total.min,
    max: total.max,
    peer: peer.value,
    peerMin: peer.min,
    peerMax: peer.max,
    peerName: 'bare Hono app, node --import tsx',
    target: { absolute: budget },
    note:
      `medians: the server printed its address ${printed.toFixed(1)} s after \`npm start\`; ` +
      `${server.toFixed(1)} s of that are the server's own start (database open, migrations, seed), ` +
      `the rest is ${rest}.`,
  };
};
console.log(`${RUNS} runs; each start on its own port, process tree stopped after it answered`);
report('start', [
  figure(
    'cold (empty data directory: build, migrations, demo seed)',
    cold,
    30,
    'npm, the script-tag build (vite) and loading the server code through tsx',
  ),
  figure(
    'warm (same data directory again)',
    warm,
    10,
    'npm and loading the server code through tsx (no build: nothing it is built from changed)',
  ),
]);

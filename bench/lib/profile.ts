/**
 * Where a process spends its time while under load.
 *
 * `Windows` (in the process under test): `begin()`/`end()` bracket each measured run; it sums the
 * process's CPU time against wall time (how busy the process was) and, when asked to profile, takes a
 * V8 CPU profile of each run (the profiler `node --cpu-prof` uses, through node:inspector), writes it to
 * a directory as `.cpuprofile` (open it in Chrome DevTools) and sums self time by area: a package under
 * node_modules, a folder of this repository, Node internals, GC, PGlite's WebAssembly.
 *
 *   npx tsx bench/lib/profile.ts some.cpuprofile [top=15]      prints the areas and top functions of a profile
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of the busy (non-idle) time. */
  share: number;
}

function areaOf({ url, functionName }: { url: string; functionName: string }): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('wasm://')) return 'WebAssembly';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(server|src|bench|test)\/(?:([^/.]+)\/)?/.exec(url);
  return own ? `${own[1]}/${own[2] ?? ''}` : url;
}

/** Self time (ms) of every area and every function of a profile. */
function selfTimes(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)!;
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    const area = areaOf(frame);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1} [${area}]`;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  });
  return { areas, functions };
}

/** The largest entries of `times`, as shares of everything but idle time. */
export function top(times: Map<string, number>, n: number): Share[] {
  let busy = 0;
  for (const [name, ms] of times) if (name !== '(idle)') busy += ms;
  return [...times]
    .filter(([name]) => name !== '(idle)')
    .map(([name, ms]) => ({ name, ms, share: busy ? ms / busy : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}

const add = (into: Map<string, number>, from: Map<string, number>) => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
};

export class Windows {
  readonly areas = new Map<string, number>();
  #session: Session | undefined;
  #cpu = 0;
  #wall = 0;
  #otherCpu = 0;
  #started: { cpu: NodeJS.CpuUsage; other: number; at: number } | undefined;
  #n = 0;

  /**
   * `profileDir`: write a CPU profile of each window there (none: CPU time only). `otherCpuMs`: CPU
   * time used so far by processes working for this one (a database server), counted separately.
   */
  constructor(
    private readonly profileDir?: string,
    private readonly label = 'process',
    private readonly otherCpuMs?: () => Promise<number>,
  ) {}

  async begin(): Promise<void> {
    if (this.profileDir && !this.#session) {
      this.#session = new Session();
      this.#session.connect();
      await this.#session.post('Profiler.enable');
    }
    await this.#session?.post('Profiler.start');
    this.#started = {
      cpu: process.cpuUsage(),
      other: (await this.otherCpuMs?.()) ?? 0,
      at: performance.now(),
    };
  }

  async end(): Promise<void> {
    const { cpu, other, at } = this.#started!;
    const used = process.cpuUsage(cpu);
    this.#cpu += (used.user + used.system) / 1000;
    this.#wall += performance.now() - at;
    this.#otherCpu += ((await this.otherCpuMs?.()) ?? 0) - other;
    if (this.#session) {
      const { profile } = await this.#session.post('Profiler.stop');
      await writeFile(
        path.join(this.profileDir!, `${this.label}.${++this.#n}.cpuprofile`),
        JSON.stringify(profile),
      );
      add(this.areas, selfTimes(profile as CpuProfile).areas);
    }
  }

  /** CPU time over wall time of the windows so far (1 = one core busy throughout). */
  get busy(): number {
    return this.#wall ? this.#cpu / this.#wall : 0;
  }

  /** The same for the other processes (`otherCpuMs`). */
  get otherBusy(): number {
    return this.#wall ? this.#otherCpu / this.#wall : 0;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, n] = process.argv.slice(2);
  if (!file) throw new Error('usage: npx tsx bench/lib/profile.ts file.cpuprofile [top]');
  const { areas, functions } = selfTimes(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
  const rows = (list: Share[]) =>
    list.map((s) => ({ name: s.name, ms: Math.round(s.ms), share: `${(s.share * 100).toFixed(1)} %` }));
  console.log(`${file}: ${Math.round(areas.get('(idle)') ?? 0)} ms idle`);
  console.table(rows(top(areas, Number(n ?? 15))));
  console.table(rows(top(functions, Number(n ?? 15))));
}

/**
 * Starting a server as a process tree and timing it until it answers: `launch()` spawns a command in
 * its own process group, polls URLs until each answers 2xx (or the deadline passes, or the process
 * exits), and `stop()` signals the whole group and waits until no process of it is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

const used = new Set<number>();

/** A loopback port nobody listens on, never the same twice in this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
        );
      });
    });
    if (!used.has(port)) {
      used.add(port);
      return port;
    }
  }
}

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** CPU time of the process and of its reaped children, ms. */
  cpuMs: number;
  childrenCpuMs: number;
}

/** Every process in /proc (Linux), from /proc/<pid>/stat. */
async function processes(): Promise<ProcStat[]> {
  const list: ProcStat[] = [];
  const tick = 10; // ms per clock tick (USER_HZ is 100 on Linux)
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime …; comm may contain spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    list.push({
      pid: Number(entry),
      state: f[0]!,
      ppid: Number(f[1]),
      pgrp: Number(f[2]),
      cpuMs: (Number(f[11]) + Number(f[12])) * tick,
      childrenCpuMs: (Number(f[13]) + Number(f[14])) * tick,
    });
  }
  return list;
}

/** Processes of group `pgid` that have not exited (zombies do not count). */
async function groupMembers(pgid: number): Promise<number[]> {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return (await processes()).filter((p) => p.state !== 'Z' && p.pgrp === pgid).map((p) => p.pid);
}

/** CPU time (ms) used so far by process `pid`, its live descendants and the children it reaped. */
export async function treeCpuMs(pid: number): Promise<number> {
  const all = await processes();
  const children = new Map<number, ProcStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const root = all.find((p) => p.pid === pid);
  if (!root) return 0;
  let ms = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    ms += p.cpuMs + p.childrenCpuMs;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return ms;
}

async function until(condition: () => Promise<boolean>, deadline: number, everyMs = 20): Promise<boolean> {
  for (;;) {
    if (await condition()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Launched {
  /** ms from spawn until every URL answered. */
  ms: number;
  /** Everything the process tree printed so far. */
  output(): string;
  /** ms from spawn until the first output line matching `mark`, if any. */
  markedAt?: number;
  /** Signals the process group (SIGTERM, SIGKILL after `graceMs`) and resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<number>();
process.once('exit', () => {
  for (const pgid of live) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Spawns `command` in a new process group and resolves once every URL in `urls` answered 2xx
 * (redirects followed). Rejects, after stopping the tree, when the process exits or `timeoutMs` passes.
 */
export async function launch(
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; urls: string[]; timeoutMs: number; mark?: RegExp },
): Promise<Launched> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid!;
  live.add(pgid);
  let text = '';
  let markedAt: number | undefined;
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    if (markedAt === undefined && options.mark?.test(text)) markedAt = performance.now() - t0;
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));

  const stop = async (graceMs = 15_000) => {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pgid, s);
      } catch {
        // the group is gone
      }
    };
    signal('SIGTERM');
    const gone = async () => (await groupMembers(pgid)).length === 0;
    if (!(await until(gone, performance.now() + graceMs))) {
      signal('SIGKILL');
      if (!(await until(gone, performance.now() + 5000))) {
        throw new Error(
          `processes of group ${pgid} survived SIGKILL: ${(await groupMembers(pgid)).join(' ')}`,
        );
      }
    }
    live.delete(pgid);
  };

  const answers = async (url: string) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  };
  const pending = new Set(options.urls);
  const ready = await until(
    async () => {
      if (exited !== undefined) return true;
      for (const url of pending) if (await answers(url)) pending.delete(url);
      return pending.size === 0;
    },
    t0 + options.timeoutMs,
    10,
  );
  const ms = performance.now() - t0;
  if (!ready || exited !== undefined) {
    await stop(5000);
    throw new Error(
      `${command} ${args.join(' ')} ${exited !== undefined ? `exited with ${exited}` : `did not answer in ${options.timeoutMs} ms`}` +
        ` (waiting for ${[...pending].join(', ')}):\n${text}`,
    );
  }
  return { ms, markedAt, output: () => text, stop };
}

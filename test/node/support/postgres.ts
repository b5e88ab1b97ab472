/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory, `pg_ctl start` on a free
 * loopback port, trust auth, durability off (fsync, synchronous_commit, full_page_writes) for speed.
 * Running as root, the server runs as the `postgres` user via `runuser`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chown, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the PostgreSQL binaries live (`PG_BIN` overrides; Debian's PostgreSQL 15 by default). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface RunningPostgres {
  /** Server URL of the `postgres` database, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  url: string;
  port: number;
  dataDir: string;
  /**
   * Stops the server (`pg_ctl stop -m fast`: open sessions are terminated, in-flight transactions roll
   * back) and starts it again on the same port and data directory; resolves once it accepts connections.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** True when `initdb` and `pg_ctl` are installed. */
export const postgresInstalled = (): boolean =>
  existsSync(path.join(PG_BIN, 'initdb')) && existsSync(path.join(PG_BIN, 'pg_ctl'));

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses to run as root). */
function pgCommand(binary: string, args: string[]): [string, string[]] {
  const bin = path.join(PG_BIN, binary);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function pg(binary: string, args: string[]) {
  const [cmd, argv] = pgCommand(binary, args);
  try {
    return await run(cmd, argv, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${binary} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function postgresUid(): Promise<[number, number]> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return [uid, gid];
}

/** Starts a fresh cluster; `stop()` shuts it down and deletes its files (also done at process exit). */
export async function startPostgres(options: { port?: number } = {}): Promise<RunningPostgres> {
  if (!postgresInstalled()) {
    throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql, or set PG_BIN)`);
  }
  const root = await mkdtemp(path.join(tmpdir(), 'dm-pg-'));
  const dataDir = path.join(root, 'data');
  if (isRoot()) {
    const [uid, gid] = await postgresUid();
    await chown(root, uid, gid);
  }
  await pg('initdb', [
    '-D',
    dataDir,
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '-N',
    '-U',
    'postgres',
  ]);

  let port = options.port ?? (await freePort());
  const start = (p: number) =>
    pg('pg_ctl', [
      '-D',
      dataDir,
      '-w',
      '-l',
      path.join(root, 'server.log'),
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${p} -k ${root} -c fsync=off -c synchronous_commit=off ` +
        '-c full_page_writes=off -c max_connections=200',
      'start',
    ]);
  try {
    await start(port);
  } catch (error) {
    if (options.port) throw error;
    port = await freePort(); // someone took the port between probe and start
    await start(port);
  }

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    const [cmd, argv] = pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    spawnSync(cmd, argv, { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async restart() {
      if (stopped) throw new Error('restart() after stop()');
      await pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      await start(port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      await pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

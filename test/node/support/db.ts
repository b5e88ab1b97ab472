/**
 * Runs one suite against every database the server supports: embedded PGlite (in memory) and a real
 * PostgreSQL. Each suite gets a freshly migrated and demo-seeded database, opened once in `before()`.
 *
 *   forEachDatabase('journeys API', (ctx) => {
 *     it('lists', async () => {
 *       const res = await ctx().call('GET', '/v1/journeys', { as: 'u_jana' });
 *     });
 *   });
 *
 * PostgreSQL: with `DM_TEST_PG_URL` (a server URL) each suite creates its own database `t_<random>` there
 * and drops it afterwards; without it, a throwaway cluster is started once per test process
 * (see ./postgres.ts). No PostgreSQL binaries: the PostgreSQL suite fails when `CI` is set and is
 * skipped (with a message saying so) otherwise. `DM_TEST_DB=pglite|postgres` runs only one of them.
 *
 * PGlite: creating, migrating and seeding an in-memory database costs ~9 s, loading a snapshot ~2.5 s;
 * so the first suite on a machine dumps its freshly seeded database into the temp directory, keyed by
 * a hash of the migrations and the seed code, and later suites load that snapshot. A change to either
 * makes a new key. `DM_TEST_PGLITE_CACHE=0` turns the snapshot off.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import pg from 'pg';
import { createApp } from '../../../server/app.js';
import { signToken } from '../../../server/auth.js';
import { migrationsFolder, openDatabase, type OpenedDb } from '../../../server/db/open.js';
import * as schema from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import { DEMO_USERS, seedDemo, type SeedDemoResult } from '../../../server/seed/demo.js';
import { requestApp } from './request.js';
import { PG_BIN, postgresInstalled, startPostgres, type RunningPostgres } from './postgres.js';

export type DbKind = 'pglite' | 'postgres';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

export interface CallOptions {
  /** Demo user id to act as (a valid token is minted); omit for an anonymous call. */
  as?: string;
  /** A raw bearer token (overrides `as`). */
  token?: string;
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A parsed response body; tests check its shape with assertions (or parse it with the contract). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallResult<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestContext {
  kind: DbKind;
  db: Db;
  app: ReturnType<typeof createApp>;
  /** The `now` the demo data was seeded relative to. */
  now: Date;
  seed: SeedDemoResult;
  /** A valid bearer token for a demo user. */
  token(userId: string): Promise<string>;
  /** Calls the app in-process; parses JSON bodies. */
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
}

export interface SuiteOptions {
  /** Seed the demo brand (default true). */
  seed?: boolean;
}

const onlyKind = process.env.DM_TEST_DB as DbKind | undefined;

let cluster: Promise<RunningPostgres> | undefined;
/** The PostgreSQL server to create test databases on: DM_TEST_PG_URL, or one cluster per process. */
async function postgresServerUrl(): Promise<string> {
  if (process.env.DM_TEST_PG_URL) return process.env.DM_TEST_PG_URL;
  cluster ??= startPostgres();
  return (await cluster).url;
}

async function adminQuery(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = await postgresServerUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/** Opens (and migrates) a fresh database of the given kind; `close()` also drops a PostgreSQL database. */
export async function openTestDatabase(kind: DbKind): Promise<OpenedDb> {
  if (kind === 'pglite') return openDatabase();
  const created = await createPostgresDatabase();
  const opened = await openDatabase({ url: created.url });
  return {
    ...opened,
    async close() {
      await opened.close();
      await created.drop();
    },
  };
}

function postgresStatus(): { skip?: string; fail?: string } {
  if (process.env.DM_TEST_PG_URL || postgresInstalled()) return {};
  const why = `PostgreSQL binaries not found in ${PG_BIN} and DM_TEST_PG_URL is not set`;
  if (process.env.CI) return { fail: `${why} (CI is set, so the PostgreSQL suite must run)` };
  return { skip: `${why}: PostgreSQL suite skipped` };
}

export function forEachDatabase(
  name: string,
  suite: (ctx: () => TestContext, kind: DbKind) => void,
  options: SuiteOptions = {},
) {
  for (const kind of ['pglite', 'postgres'] as const) {
    if (onlyKind && onlyKind !== kind) continue;
    const status = kind === 'postgres' ? postgresStatus() : {};
    if (status.skip || status.fail) {
      // One visible test stands for the suite: skipped locally, failed under CI.
      describe(`${name} [${kind}]`, () => {
        it('runs against PostgreSQL', { skip: status.skip }, () => {
          if (status.fail) throw new Error(status.fail);
        });
      });
      if (status.skip) console.log(`# ${name} [postgres]: ${status.skip}`);
      continue;
    }
    describe(`${name} [${kind}]`, () => {
      let ctx: TestContext | undefined;
      let opened: OpenedDb | undefined;
      before(
        async () => {
          if (kind === 'pglite' && options.seed !== false && process.env.DM_TEST_PGLITE_CACHE !== '0') {
            const seeded = await openSeededPglite();
            opened = seeded.opened;
            ctx = makeContext(kind, opened.db, seeded.seed, seeded.now);
          } else {
            opened = await openTestDatabase(kind);
            const now = new Date();
            const seed = options.seed === false ? { seeded: false } : await seedDemo(opened.db, { now });
            ctx = makeContext(kind, opened.db, seed, now);
          }
        },
        { timeout: 180_000 },
      );
      after(async () => {
        await opened?.close();
      });
      suite(() => {
        if (!ctx) throw new Error('the database did not open; see the before() hook failure');
        return ctx;
      }, kind);
    });
  }
}

function makeContext(kind: DbKind, db: Db, seed: SeedDemoResult, now: Date): TestContext {
  const app = createApp({ db, secret: TEST_SECRET, demo: true });
  const tokens = new Map<string, string>();

  const token = async (userId: string) => {
    const cached = tokens.get(userId);
    if (cached) return cached;
    const user = DEMO_USERS.find((u) => u.id === userId);
    if (!user) throw new Error(`no demo user ${userId}`);
    const minted = await signToken(TEST_SECRET, {
      sub: user.id,
      brand: 'brand_aurora',
      partner: user.partnerId,
      role: user.role,
    });
    tokens.set(userId, minted);
    return minted;
  };

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...o.headers };
    const bearer = o.token ?? (o.as ? await token(o.as) : undefined);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await requestApp(app, db, method, path, { headers, body: o.body });
    return { status: res.status, body: res.body, headers: res.headers };
  };

  return { kind, db, app, now, seed, token, call };
}

// ---- PGlite snapshot of the migrated and seeded database --------------------------------------------

const serverDir = fileURLToPath(new URL('../../../server/', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

/** Hash of everything that shapes the seeded database. */
async function snapshotKey(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(migrationsFolder)),
    ...(await filesUnder(path.join(serverDir, 'seed'))),
    path.join(serverDir, 'domain', 'journey-stats.ts'),
    path.join(serverDir, 'domain', 'search.ts'),
    path.join(serverDir, 'db', 'schema.ts'),
  ];
  for (const file of files) hash.update(file).update(await readFile(file));
  hash.update(process.version);
  return hash.digest('hex').slice(0, 20);
}

interface SnapshotMeta {
  now: string;
  seed: SeedDemoResult;
}

async function openSeededPglite(): Promise<{ opened: OpenedDb; seed: SeedDemoResult; now: Date }> {
  const dir = path.join(tmpdir(), 'dm-kit-test-cache');
  const base = path.join(dir, `pglite-${await snapshotKey()}`);
  try {
    const [dump, meta] = await Promise.all([readFile(`${base}.tar.gz`), readFile(`${base}.json`, 'utf8')]);
    const parsed = JSON.parse(meta) as SnapshotMeta;
    const client = await PGlite.create({ loadDataDir: new Blob([dump]) });
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      opened: { db, kind: 'pglite', close: () => client.close() },
      seed: parsed.seed,
      now: new Date(parsed.now),
    };
  } catch {
    // No usable snapshot yet: build one.
  }
  const opened = await openDatabase();
  const now = new Date();
  const seed = await seedDemo(opened.db, { now });
  const client = (opened.db as unknown as { $client: PGlite }).$client;
  const dump = Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
  await mkdir(dir, { recursive: true });
  const tmp = `${base}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(`${tmp}.tar.gz`, dump);
  await writeFile(`${tmp}.json`, JSON.stringify({ now: now.toISOString(), seed } satisfies SnapshotMeta));
  // Metadata first: a reader that finds the dump also finds its metadata.
  await rename(`${tmp}.json`, `${base}.json`);
  await rename(`${tmp}.tar.gz`, `${base}.tar.gz`);
  await removeStaleSnapshots(dir, path.basename(base));
  return { opened, seed, now };
}

/** Drops snapshots of older code (other keys) that nobody has written for an hour. */
async function removeStaleSnapshots(dir: string, keep: string) {
  const hourAgo = Date.now() - 3600_000;
  for (const name of await readdir(dir)) {
    if (!name.startsWith('pglite-') || name.startsWith(keep)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < hourAgo) await rm(file, { force: true });
  }
}

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';
import type { Db } from './types.js';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenedDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` selects PostgreSQL; otherwise embedded PGlite. */
  url?: string;
  /** PGlite data directory; omitted → in memory. */
  dataDir?: string;
  /** Run migrations after opening (default true). */
  migrate?: boolean;
}

/** Opens the database (PGlite by default, PostgreSQL for a `postgres://` URL) and applies migrations. */
export async function openDatabase(options: OpenOptions = {}): Promise<OpenedDb> {
  const migrate = options.migrate ?? true;
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // A connection the server drops (restart, failover, idle timeout) emits 'error'; unheard, that event
    // ends the process. The pool replaces the connection; queries on it fail and are retried by callers.
    const lost = (error: Error) => console.error(`database connection lost: ${error.message}`);
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    const db = drizzle(pool, { schema });
    if (migrate) {
      const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
      await run(db, { migrationsFolder });
    }
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const db = drizzle(client, { schema });
  if (migrate) {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(db, { migrationsFolder });
  }
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}

import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** A drizzle database over either driver (PGlite or node-postgres); queries are written once. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

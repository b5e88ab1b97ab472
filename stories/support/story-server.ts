/**
 * The reference server inside the page, for stories: one in-memory PGlite per page with the server's
 * migrations and the demo seed (as `npm start` has it), the real Hono app over it, and SDK clients
 * whose `fetch` calls `app.fetch`. Every story's data goes through the real routes, SQL and contract
 * validation.
 *
 * Boots lazily on the first request and once per page; stories then share the database, so a story
 * that sends or decides changes what the next one sees, as on a real server.
 */
import { PGlite } from '@electric-sql/pglite';
import clusterUrl from 'virtual:pglite-cluster';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { createApp } from '../../server/app.js';
import { signToken } from '../../server/auth.js';
import journal from '../../server/db/migrations/meta/_journal.json';
import * as schema from '../../server/db/schema.js';
import type { Db } from '../../server/db/types.js';
import { DEMO_BRAND_ID, seedDemo } from '../../server/seed/demo.js';
import { createClient, type DmClient, type FetchLike } from '../../src/sdk/index.js';

/** Where the story clients point; requests never leave the page. */
export const STORY_BASE_URL = 'https://dm.example';

/** Signs the stories' tokens; the page's own server is the only one that checks them. */
const SECRET = 'storybook-only-secret-0123456789abcdef';

const sqlFiles = import.meta.glob<string>('../../server/db/migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The migrations' statements in journal order, as drizzle's migrator would run them. */
function migrationStatements(): string[] {
  return journal.entries.flatMap(({ tag }) => {
    const text = sqlFiles[`../../server/db/migrations/${tag}.sql`];
    if (text === undefined) throw new Error(`migration ${tag} is missing`);
    return text
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean);
  });
}

/** A user of the story brands who has no data of their own (see {@link addNewcomers}). */
export const NEWCOMER = {
  /** A partner of the demo brand with no contacts and no sends yet. */
  partner: 'u_story_newcomer',
  /** The partner manager of that partner: nothing waits for approval. */
  approver: 'u_story_newcomer_manager',
  /** The admin of a brand that has not published anything. */
  brandAdmin: 'u_story_empty_admin',
  /** A second brand compliance approver of the demo brand (besides `u_compliance`). */
  compliance: 'u_story_compliance',
} as const;

/**
 * A partner that joined today, its partner manager, a second compliance approver and a brand that has
 * published nothing: real queries with no rows, and a colleague who can decide first.
 */
async function addNewcomers(db: Db): Promise<void> {
  await db.insert(schema.partners).values({
    id: 'partner_story_newcomer',
    brandId: DEMO_BRAND_ID,
    name: 'Ostsee Mobil',
    tier: 'bronze',
    region: 'north',
    replyTo: 'hallo@ostsee-mobil.example',
    postalAddress: 'Ostsee Mobil, Strandweg 2, 23570 Lübeck, Germany',
    signature: 'Nils Paulsen, Ostsee Mobil',
  });
  await db.insert(schema.brands).values({
    id: 'brand_story_empty',
    name: 'Polaris Bikes',
    domain: 'polaris-bikes.example',
    postalAddress: 'Polaris Bikes AB, Storgatan 3, 903 26 Umeå, Sweden',
  });
  await db.insert(schema.users).values([
    {
      id: NEWCOMER.partner,
      brandId: DEMO_BRAND_ID,
      partnerId: 'partner_story_newcomer',
      name: 'Nils Paulsen',
      email: 'nils@ostsee-mobil.example',
      role: 'partner',
    },
    {
      id: NEWCOMER.approver,
      brandId: DEMO_BRAND_ID,
      partnerId: 'partner_story_newcomer',
      name: 'Ida Krüger',
      email: 'ida.krueger@aurora-motors.example',
      role: 'approver',
    },
    {
      id: NEWCOMER.compliance,
      brandId: DEMO_BRAND_ID,
      partnerId: null,
      name: 'Jonas Keller',
      email: 'jonas.keller@aurora-motors.example',
      role: 'approver',
    },
    {
      id: NEWCOMER.brandAdmin,
      brandId: 'brand_story_empty',
      partnerId: null,
      name: 'Elin Berg',
      email: 'elin@polaris-bikes.example',
      role: 'brand_admin',
    },
  ]);
}

export interface StoryServer {
  db: Db;
  /** The reference app's `fetch`. */
  fetch: (request: Request) => Promise<Response>;
  /** The same app on a clock stopped at `now` (to create data as of an earlier time). */
  fetchAt: (now: Date) => (request: Request) => Promise<Response>;
}

async function boot(): Promise<StoryServer> {
  const cluster = await (await fetch(clusterUrl)).blob();
  const client = await PGlite.create({ loadDataDir: cluster });
  for (const statement of migrationStatements()) await client.exec(statement);
  const db = drizzle(client, { schema }) as unknown as Db;
  // Today at midnight UTC: the same data all day, with history up to today.
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  await seedDemo(db, { now: today });
  await addNewcomers(db);
  const serve = (clock?: () => Date) => {
    const app = createApp({ db, secret: SECRET, publicUrl: STORY_BASE_URL, ...(clock ? { clock } : {}) });
    return (request: Request) => Promise.resolve(app.fetch(request));
  };
  return { db, fetch: serve(), fetchAt: (now) => serve(() => now) };
}

let server: Promise<StoryServer> | undefined;

/** The page's server, booted on first use. */
export function storyServer(): Promise<StoryServer> {
  return (server ??= boot());
}

const tokens = new Map<string, Promise<string>>();

/** A bearer token for `userId` (a seeded user), minted as a host portal would; the same one each time. */
export function tokenFor(userId: string): Promise<string> {
  let token = tokens.get(userId);
  if (!token) tokens.set(userId, (token = mint(userId)));
  return token;
}

/** Mints a token for `userId`; `ttlSeconds` below zero gives one that has already expired. */
export async function mint(userId: string, ttlSeconds?: number): Promise<string> {
  const { db } = await storyServer();
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  return signToken(
    SECRET,
    { sub: user.id, brand: user.brandId, partner: user.partnerId, role: user.role },
    ttlSeconds,
  );
}

/** The request a `fetch` call describes. */
export const toRequest = (input: Parameters<FetchLike>[0], init?: Parameters<FetchLike>[1]): Request =>
  input instanceof Request && init === undefined ? input : new Request(input, init);

/** A `fetch` answered by the page's server. */
export const serverFetch: FetchLike = async (input, init) =>
  (await storyServer()).fetch(toRequest(input, init));

/** Changes what a request does before (or instead of) reaching the server. */
export type FetchWrapper = (next: FetchLike) => FetchLike;

export interface StoryClientOptions {
  /** Who calls: a seeded user id. Default `u_jana`, a partner user of the demo brand. */
  user?: string;
  /** A token instead of the user's (e.g. an expired one). */
  token?: () => Promise<string>;
  /** States that are not data: latency, failures, a request that never answers. */
  wrap?: FetchWrapper;
}

/** A real SDK client over the page's server, without retries (failures show at once). */
export function storyClient(options: StoryClientOptions = {}): DmClient {
  const user = options.user ?? 'u_jana';
  return createClient({
    baseUrl: STORY_BASE_URL,
    getToken: options.token ?? (() => tokenFor(user)),
    fetch: options.wrap ? options.wrap(serverFetch) : serverFetch,
    retry: { limit: 0 },
    // A wrapped request may never answer ("loading"): the client's timeout must not turn it into an error.
    ...(options.wrap ? { timeout: 2 ** 31 - 1 } : {}),
  });
}

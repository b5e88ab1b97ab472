/**
 * Simulated partner users for `bench/load.bench.ts`, run in their own process (forked through
 * bench/lib/child.ts) so that the load does not share a core with the server under test.
 *
 * `setup` signs every given partner user in (`POST /v1/demo/session`) and learns what each partner
 * sees: the journeys visible to it, those it may send without approval (`approvalRule.mode` `never`,
 * and a preview without blocking issues), and its mailable contacts. `run` then drives `vus` virtual
 * users, spread round-robin over the signed-in users, for a fixed time. A virtual user loops: search
 * the showroom (`q` or `category`), open a journey, list 20 contacts, preview the journey for 1–3 of
 * them, and every few loops (every 3rd to 5th, from a random first one) create a quick send (with an `Idempotency-Key`) to 1–3 mailable contacts of
 * its own partner. Between any two requests it thinks for a seeded random 50–200 ms. The `healthz`
 * mode is the peer: the same users and think time, only `GET /healthz`.
 *
 * Every request is timed from write to last byte over keep-alive connections (node:http). Anything but
 * the expected status — or no answer, or a socket error — counts as an error of its endpoint.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  Category,
  type ContactPage,
  type DemoSession,
  type Journey,
  type JourneyPage,
  type Preview,
  type Send,
} from '../../src/contract/index.js';
import { Prng } from '../../server/seed/prng.js';
import { answerParent } from '../lib/child.js';

export const ENDPOINTS = [
  'GET /v1/journeys',
  'GET /v1/journeys/{id}',
  'GET /v1/contacts',
  'POST /v1/previews',
  'POST /v1/sends',
] as const;
export const PEER_ENDPOINT = 'GET /healthz';
type Endpoint = (typeof ENDPOINTS)[number] | typeof PEER_ENDPOINT;

export interface SetupRequest {
  port: number;
  /** Partner-role user ids of the demo brand. */
  users: string[];
}

export interface PartnerView {
  partner: string;
  users: string[];
  journeys: number;
  sendable: string[];
  mailable: number;
}

export interface RunRequest {
  mode: 'users' | 'healthz';
  vus: number;
  durationMs: number;
  seed: number;
  /** Idempotency keys are `<keyPrefix>-<vu>-<loop>`, so the database can tell this run's sends. */
  keyPrefix: string;
}

export interface EndpointStats {
  endpoint: string;
  count: number;
  errors: number;
  /** Latency of every request, errors included, ms. */
  p50: number;
  p99: number;
  max: number;
  /** The first few errors, e.g. `500 {"error":…}` or `socket hang up`. */
  samples: string[];
}

export interface CreatedSend {
  id: string;
  recipients: number;
  status: string;
}

export interface RunResult {
  seconds: number;
  endpoints: EndpointStats[];
  /** Every request of the run together. */
  overall: EndpointStats;
  /** Sends answered with 201. */
  sends: CreatedSend[];
  /** CPU time of this process over wall time (near 1: the load generator, not the server, was the limit). */
  busy: number;
}

type Message = { setup: SetupRequest } | { run: RunRequest };

const THINK_MS: [number, number] = [50, 200];
const SEND_EVERY: [number, number] = [3, 5];
const TIMEOUT_MS = 30_000;
const SAMPLES = 5;

interface Answer {
  status: number;
  body: string;
}

let port = 0;
let agent = new http.Agent({ keepAlive: true });

/** One HTTP exchange; rejects on a socket error or after TIMEOUT_MS without an answer. */
function exchange(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: payload ? { ...headers, 'content-type': 'application/json' } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Latencies and errors per endpoint. */
class Recorder {
  readonly #by = new Map<Endpoint, { ms: number[]; errors: number; samples: string[] }>();

  add(endpoint: Endpoint, ms: number, error?: string) {
    let entry = this.#by.get(endpoint);
    if (!entry) this.#by.set(endpoint, (entry = { ms: [], errors: 0, samples: [] }));
    entry.ms.push(ms);
    if (error !== undefined) {
      entry.errors++;
      if (entry.samples.length < SAMPLES) entry.samples.push(error);
    }
  }

  /** Per endpoint, and `all` of them together. */
  stats(): { endpoints: EndpointStats[]; overall: EndpointStats } {
    const summary = (endpoint: string, ms: number[], errors: number, samples: string[]): EndpointStats => {
      const sorted = Float64Array.from(ms).sort();
      const at = (q: number) =>
        sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
      return { endpoint, count: sorted.length, errors, p50: at(0.5), p99: at(0.99), max: at(1), samples };
    };
    const entries = [...this.#by];
    return {
      endpoints: entries.map(([endpoint, e]) => summary(endpoint, e.ms, e.errors, e.samples)),
      overall: summary(
        'all',
        entries.flatMap(([, e]) => e.ms),
        entries.reduce((n, [, e]) => n + e.errors, 0),
        entries.flatMap(([, e]) => e.samples),
      ),
    };
  }
}

/**
 * A timed request of one endpoint: resolves with the parsed body when the status is `expect`, else
 * records an error and resolves with `undefined`.
 */
async function timed<T>(
  recorder: Recorder,
  endpoint: Endpoint,
  expect: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T | undefined> {
  const t0 = performance.now();
  let answer: Answer;
  try {
    answer = await exchange(method, path, headers, body);
  } catch (error) {
    recorder.add(endpoint, performance.now() - t0, `${path}: ${(error as Error).message}`);
    return undefined;
  }
  const ms = performance.now() - t0;
  if (answer.status !== expect) {
    recorder.add(endpoint, ms, `${answer.status} for ${method} ${path}: ${answer.body.slice(0, 300)}`);
    return undefined;
  }
  recorder.add(endpoint, ms);
  return JSON.parse(answer.body) as T;
}

interface Session {
  user: string;
  headers: Record<string, string>;
  partner: Partner;
}

interface Partner {
  id: string;
  users: string[];
  /** Journeys the partner sees, and those it may send without approval. */
  visible: string[];
  sendable: string[];
  /** Contacts it may mail now. */
  mailable: string[];
  /** Search words: the tags of its journeys. */
  words: string[];
}

let sessions: Session[] = [];

/** A plain request outside the measurements (setup); throws on anything but `expect`. */
async function must<T>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  expect = 200,
) {
  const answer = await exchange(method, path, headers, body);
  if (answer.status !== expect) {
    throw new Error(`setup: ${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  }
  return JSON.parse(answer.body) as T;
}

/** Every page of a cursor-paged listing. */
async function allPages<T>(path: string, headers: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await must(
      'GET',
      `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** What one partner sees, through the first of its users. */
async function discover(partnerId: string, headers: Record<string, string>): Promise<Partner> {
  const listed = await allPages<JourneyPage['items'][number]>('/v1/journeys?limit=100', headers);
  const contacts = await allPages<ContactPage['items'][number]>('/v1/contacts?limit=100', headers);
  const mailable = contacts.filter((c) => c.mailable).map((c) => c.id);
  if (!mailable.length) throw new Error(`setup: ${partnerId} has no mailable contact`);
  // Sendable as is: approval rule `never`, and a preview for a mailable contact shows no blocking issue.
  const checked = await Promise.all(
    listed.map(async (summary) => {
      const journey = await must<Journey>('GET', `/v1/journeys/${summary.id}`, headers);
      if (journey.approvalRule.mode !== 'never') return null;
      const preview = await must<Preview>('POST', '/v1/previews', headers, {
        journeyId: journey.id,
        contactId: mailable[0],
      });
      return preview.issues.some((i) => i.severity === 'blocking') ? null : journey.id;
    }),
  );
  const sendable = checked.filter((id) => id !== null);
  if (!sendable.length) throw new Error(`setup: ${partnerId} sees no journey it may send without approval`);
  return {
    id: partnerId,
    users: [],
    visible: listed.map((j) => j.id),
    sendable,
    mailable,
    words: [...new Set(listed.flatMap((j) => j.tags))],
  };
}

async function setup({ port: serverPort, users }: SetupRequest): Promise<PartnerView[]> {
  port = serverPort;
  const signedIn = await Promise.all(
    users.map(async (user) => {
      const session = await must<DemoSession>('POST', '/v1/demo/session', {}, { user });
      if (session.user.role !== 'partner' || !session.user.partner) {
        throw new Error(`setup: ${user} is not a partner user (${session.user.role})`);
      }
      return {
        user,
        partnerId: session.user.partner.id,
        headers: { authorization: `Bearer ${session.token}` },
      };
    }),
  );
  const partners = new Map<string, Partner>();
  await Promise.all(
    [...new Map(signedIn.map((s) => [s.partnerId, s.headers])).entries()].map(async ([id, headers]) =>
      partners.set(id, await discover(id, headers)),
    ),
  );
  sessions = signedIn.map(({ user, partnerId, headers }) => {
    const partner = partners.get(partnerId)!;
    partner.users.push(user);
    return { user, headers, partner };
  });
  return [...partners.values()].map((p) => ({
    partner: p.id,
    users: p.users,
    journeys: p.visible.length,
    sendable: p.sendable,
    mailable: p.mailable.length,
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(o: RunRequest): Promise<RunResult> {
  if (!sessions.length) throw new Error('run before setup');
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: o.vus });
  const recorder = new Recorder();
  const sends: CreatedSend[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + o.durationMs;
  const live = () => performance.now() < end;

  const virtualUser = async (vu: number) => {
    const rng = new Prng(o.seed * 10_007 + vu);
    const { headers, partner } = sessions[vu % sessions.length]!;
    const think = () => sleep(rng.int(THINK_MS[0], THINK_MS[1]));
    const sendEvery = rng.int(SEND_EVERY[0], SEND_EVERY[1]);
    // Which of its loops send: some users send in their first loop, so short runs send too.
    const sendPhase = rng.int(1, sendEvery) % sendEvery;
    // Users arrive spread over one think time, not all in the same millisecond.
    await sleep(rng.int(0, THINK_MS[1]));
    if (o.mode === 'healthz') {
      while (live()) {
        await timed(recorder, PEER_ENDPOINT, 200, 'GET', '/healthz', {});
        await think();
      }
      return;
    }
    for (let loop = 1; live(); loop++) {
      const query = rng.chance(0.5)
        ? `q=${encodeURIComponent(rng.pick(partner.words))}`
        : `category=${rng.pick(Category.options)}`;
      const page = await timed<JourneyPage>(
        recorder,
        'GET /v1/journeys',
        200,
        'GET',
        `/v1/journeys?${query}`,
        headers,
      );
      await think();
      if (!live()) break;
      const journeyId = page?.items.length ? rng.pick(page.items).id : rng.pick(partner.visible);
      await timed<Journey>(
        recorder,
        'GET /v1/journeys/{id}',
        200,
        'GET',
        `/v1/journeys/${journeyId}`,
        headers,
      );
      await think();
      if (!live()) break;
      const contacts = await timed<ContactPage>(
        recorder,
        'GET /v1/contacts',
        200,
        'GET',
        '/v1/contacts?limit=20',
        headers,
      );
      await think();
      const shown = contacts?.items.filter((c) => c.mailable).map((c) => c.id) ?? [];
      for (const contactId of rng.sample(shown.length ? shown : partner.mailable, rng.int(1, 3))) {
        if (!live()) break;
        await timed<Preview>(recorder, 'POST /v1/previews', 200, 'POST', '/v1/previews', headers, {
          journeyId,
          contactId,
        });
        await think();
      }
      if (loop % sendEvery !== sendPhase || !live()) continue;
      const contactIds = rng.sample(partner.mailable, rng.int(1, 3));
      const send = await timed<Send>(
        recorder,
        'POST /v1/sends',
        201,
        'POST',
        '/v1/sends',
        { ...headers, 'idempotency-key': `${o.keyPrefix}-${vu}-${loop}` },
        { kind: 'quick', journeyId: rng.pick(partner.sendable), contactIds },
      );
      if (send) sends.push({ id: send.id, recipients: send.recipientCount, status: send.status });
      await think();
    }
  };

  await Promise.all(Array.from({ length: o.vus }, (_, vu) => virtualUser(vu)));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    ...recorder.stats(),
    sends,
    busy: (used.user + used.system) / 1e6 / seconds,
  };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] === self && process.argv[2] === '--users') {
  answerParent<Message, PartnerView[] | RunResult>('ready', (m) =>
    'setup' in m ? setup(m.setup) : run(m.run),
  );
}

/**
 * An in-memory DM Kit API for stories: a `fetch` that answers `GET /v1/journeys` from a list, plus
 * modes for every state (slow, never answering, failing, empty). Stories use it through a real SDK
 * client (`createClient({ fetch })`), so responses go through the same contract validation.
 */
import type { Category, JourneyKind, JourneySummary, Locale } from '../../src/contract/index.js';
import { createClient, type DmClient, type FetchLike } from '../../src/sdk/index.js';

export type MockMode = 'ok' | 'loading' | 'empty' | 'error';

export interface MockApiOptions {
  /** What every request does. Default `ok`. */
  mode?: MockMode;
  /** Journeys served in `ok` mode. Default {@link sampleJourneys}. */
  journeys?: JourneySummary[];
  /** HTTP status in `error` mode. Default 503. */
  status?: number;
  /** Milliseconds before each answer. Default 350. */
  latency?: number;
}

const BASE_URL = 'https://dm.example';

const seeds: Array<[name: string, category: Category, kind: JourneyKind, locale: Locale, summary: string]> = [
  [
    'Welcome to the family',
    'onboarding',
    'journey',
    'en',
    'Three emails over two weeks that introduce a new customer to your dealership and the brand.',
  ],
  [
    'Thank you for your visit',
    'thank_you',
    'template',
    'en',
    'A short personal thank-you after a showroom visit or test drive.',
  ],
  [
    'After our meeting',
    'follow_up',
    'template',
    'en',
    'Recap what you discussed, with the next steps and your contact details.',
  ],
  [
    'Service reminder',
    'reminder',
    'journey',
    'en',
    'Remind customers when their annual service is due, with a booking link.',
  ],
  [
    'Spring offer: 0% financing',
    'offer',
    'template',
    'en',
    'Brand-approved financing offer with the legal terms locked.',
  ],
  [
    'Summer sales event',
    'promotion',
    'journey',
    'en',
    'Announce the summer event, then follow up with a last-chance reminder.',
  ],
  [
    'Invitation: new model launch',
    'event',
    'template',
    'en',
    'Invite customers to the launch evening at your location, with RSVP.',
  ],
  [
    'Monthly newsletter',
    'newsletter',
    'template',
    'en',
    'The brand newsletter with a personal note from you at the top.',
  ],
  ['欢迎加入', 'onboarding', 'journey', 'zh-CN', '两周内发送三封邮件，向新客户介绍您的门店和品牌。'],
  ['感谢您的光临', 'thank_you', 'template', 'zh-CN', '在客户到店或试驾后发送简短的个性化感谢信。'],
  ['保险续保提醒', 'reminder', 'journey', 'zh-CN', '在保单到期前提醒客户续保，并附上预约链接。'],
  ['年终客户答谢会', 'event', 'template', 'zh-CN', '邀请客户参加年终答谢活动，并收集回复。'],
  [
    'Policy review check-in',
    'follow_up',
    'journey',
    'en',
    'Invite clients to a yearly policy review; a second email goes to those who did not book.',
  ],
  [
    'Loyalty upgrade offer',
    'offer',
    'template',
    'en',
    'Offer loyal customers an upgrade; the offer terms block is locked by the brand.',
  ],
  [
    'Referral thank-you',
    'thank_you',
    'template',
    'en',
    'Thank a customer who referred a friend, with the referral reward terms.',
  ],
  [
    'Holiday greetings',
    'newsletter',
    'template',
    'en',
    'Seasonal greetings with the brand artwork and your signature.',
  ],
];

/** A contract-shaped journey; `n` varies the details. */
export function makeJourney(n: number, overrides: Partial<JourneySummary> = {}): JourneySummary {
  const [name, category, kind, locale, summary] = seeds[n % seeds.length]!;
  const round = Math.floor(n / seeds.length);
  return {
    id: `journey-${n + 1}`,
    kind,
    name: round === 0 ? name : `${name} (${round + 1})`,
    summary,
    category,
    channel: 'email',
    locale,
    tags: [category],
    stepCount: kind === 'template' ? 1 : 2 + (n % 3),
    approvalRequired: n % 3 === 1,
    thumbnailUrl: null,
    createdAt: new Date(Date.UTC(2026, 9, 28) - n * 86_400_000).toISOString(),
    stats: {
      sends: 40 + n * 7,
      recipients: 900 + n * 53,
      partners: n % 4 === 3 ? 3 : 12 + n,
      openRate: n % 4 === 3 ? null : 0.28 + ((n * 7) % 30) / 100,
      clickRate: n % 4 === 3 ? null : 0.04 + ((n * 3) % 10) / 100,
    },
    ...overrides,
  };
}

/** The sixteen sample journeys. */
export const sampleJourneys: JourneySummary[] = seeds.map((_, i) => makeJourney(i));

/** `count` journeys (for long lists). */
export function manyJourneys(count: number): JourneySummary[] {
  return Array.from({ length: count }, (_, i) => makeJourney(i));
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('The request was aborted.', 'AbortError'));
      },
      { once: true },
    );
  });
}

const errorCodes: Record<number, string> = {
  400: 'validation',
  401: 'auth',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

/** A `fetch` serving the mock API. */
export function mockFetch(options: MockApiOptions = {}): FetchLike {
  const { mode = 'ok', journeys = sampleJourneys, status = 503, latency = 350 } = options;
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    if (mode === 'loading') {
      await wait(2 ** 31 - 1, signal);
    }
    await wait(latency, signal);
    const url = new URL(request.url);
    if (mode === 'error') {
      return json({ error: { code: errorCodes[status] ?? 'server', message: 'Mock failure' } }, status);
    }
    if (!url.pathname.endsWith('/v1/journeys')) {
      return json({ error: { code: 'not_found', message: `No mock for ${url.pathname}` } }, 404);
    }
    const q = url.searchParams.get('q')?.toLowerCase();
    const category = url.searchParams.get('category');
    const sort = url.searchParams.get('sort') ?? 'newest';
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const source = mode === 'empty' ? [] : journeys;
    const matching = source
      .filter(
        (j) =>
          (!q || `${j.name} ${j.summary} ${j.tags.join(' ')}`.toLowerCase().includes(q)) &&
          (!category || j.category === category),
      )
      .sort((a, b) => {
        if (sort === 'name') return a.name.localeCompare(b.name);
        if (sort === 'most_used') return b.stats.sends - a.stats.sends;
        if (sort === 'best_results') return (b.stats.openRate ?? -1) - (a.stats.openRate ?? -1);
        return b.createdAt.localeCompare(a.createdAt);
      });
    const items = matching.slice(start, start + limit);
    const nextCursor = start + limit < matching.length ? String(start + limit) : null;
    return json({ items, nextCursor, total: matching.length });
  };
}

/** A real SDK client over {@link mockFetch}, without retries (so failures show at once). */
export function createMockClient(options: MockApiOptions = {}): DmClient {
  return createClient({
    baseUrl: BASE_URL,
    fetch: mockFetch(options),
    retry: { limit: 0 },
    // "Loading" never answers: keep the client's timeout from turning it into an error.
    ...(options.mode === 'loading' ? { timeout: 2 ** 31 - 1 } : {}),
  });
}

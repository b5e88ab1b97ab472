import { JourneyPage, JourneySummary, type Category } from '../../../src/contract/index.js';
import { createClient, type DmClient } from '../../../src/sdk/index.js';

export const BASE_URL = 'https://dm.test';

const categories: Category[] = [
  'onboarding',
  'thank_you',
  'follow_up',
  'reminder',
  'offer',
  'promotion',
  'event',
  'newsletter',
];

/** A contract-valid journey (checked by the zod schema, so fixtures cannot drift from the contract). */
export function journey(n: number, overrides: Partial<JourneySummary> = {}): JourneySummary {
  return JourneySummary.parse({
    id: `j-${n}`,
    kind: n % 3 === 0 ? 'template' : 'journey',
    name: `Journey ${n}`,
    summary: `Summary of journey ${n}.`,
    category: categories[n % categories.length],
    channel: 'email',
    locale: n % 4 === 0 ? 'zh-CN' : 'en',
    tags: ['sample'],
    stepCount: (n % 3) + 1,
    approvalRequired: n % 2 === 0,
    thumbnailUrl: null,
    createdAt: new Date(Date.UTC(2026, 0, 1 + n)).toISOString(),
    stats: {
      sends: 10 * n,
      recipients: 100 * n,
      partners: n,
      openRate: n % 5 === 0 ? null : 0.42,
      clickRate: null,
    },
    ...overrides,
  });
}

export function journeyPage(
  items: JourneySummary[],
  options: { nextCursor?: string | null; total?: number } = {},
): JourneyPage {
  return JourneyPage.parse({
    items,
    nextCursor: options.nextCursor ?? null,
    total: options.total ?? items.length,
  });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function errorResponse(status: number, code: string, message = 'failed'): Response {
  return json({ error: { code, message } }, status);
}

export interface RecordedRequest {
  readonly url: URL;
  readonly request: Request;
  /** True once the request's signal fired. */
  aborted: boolean;
}

type Handler = (url: URL, request: Request) => Response | Promise<Response>;

/**
 * A stub API behind an injectable `fetch`: records every request (URL and abort) and answers with
 * `handler`, which a test may replace at any time.
 */
export class StubApi {
  readonly requests: RecordedRequest[] = [];
  handler: Handler;

  constructor(handler: Handler) {
    this.handler = handler;
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const record: RecordedRequest = { url: new URL(request.url), request, aborted: false };
    this.requests.push(record);
    const signal = init?.signal ?? request.signal;
    signal?.addEventListener('abort', () => (record.aborted = true), { once: true });
    return this.handler(record.url, request);
  };

  /** Requests to `path` (e.g. `/v1/journeys`), under any base path. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.pathname.endsWith(path));
  }

  get last(): RecordedRequest | undefined {
    return this.requests.at(-1);
  }

  /** A client over this stub, without retries (so fault tests answer at once). */
  client(options: { locale?: string } = {}): DmClient {
    return createClient({ baseUrl: BASE_URL, fetch: this.fetch, retry: { limit: 0 }, ...options });
  }
}

/** A response that never arrives; rejects with an AbortError when the request is aborted. */
export function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
      once: true,
    });
  });
}

/** A list endpoint over `all`, honouring `q`, `category`, `limit` and a numeric `cursor`. */
export function listHandler(all: JourneySummary[]): Handler {
  return (url) => {
    if (!url.pathname.endsWith('/v1/journeys')) return errorResponse(404, 'not_found');
    const q = url.searchParams.get('q')?.toLowerCase();
    const category = url.searchParams.get('category');
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const matching = all.filter(
      (j) => (!q || j.name.toLowerCase().includes(q)) && (!category || j.category === category),
    );
    const items = matching.slice(start, start + limit);
    const next = start + limit < matching.length ? String(start + limit) : null;
    return json(journeyPage(items, { nextCursor: next, total: matching.length }));
  };
}

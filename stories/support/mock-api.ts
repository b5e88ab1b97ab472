/**
 * An in-memory DM Kit API for stories: a `fetch` that answers the showroom's endpoints (listing with
 * filters and cursors, facet counts, one journey, step previews) from a list, plus modes for every
 * state (slow, never answering, failing, empty). Stories use it through a real SDK client
 * (`createClient({ fetch })`), so responses go through the same contract validation.
 */
import type {
  Category,
  FacetCount,
  Journey as JourneyDetail,
  JourneyKind,
  JourneySummary,
  Locale,
} from '../../src/contract/index.js';
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
  /** Brand-level user: no per-partner figures in the details. Default false. */
  brandUser?: boolean;
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

const TAGS: Record<Category, string[]> = {
  onboarding: ['new car', 'delivery', 'app'],
  thank_you: ['personal', 'quick', 'delivery'],
  follow_up: ['test drive', 'sales', 'quick'],
  reminder: ['service', 'aftersales', 'booking'],
  offer: ['finance', 'seasonal', 'loyalty'],
  promotion: ['seasonal', 'launch', 'electric'],
  event: ['invitation', 'showroom', 'launch'],
  newsletter: ['owners', 'monthly', 'electric'],
};

const HUES: Record<Category, [string, string]> = {
  onboarding: ['#0958c8', '#b6d8ff'],
  thank_you: ['#9c1c1c', '#ffb4ad'],
  follow_up: ['#13305a', '#74b2ff'],
  reminder: ['#6b4a00', '#f2cc60'],
  offer: ['#0a4aa6', '#ddf0ff'],
  promotion: ['#3c1618', '#ff7b72'],
  event: ['#1f2328', '#d1d9e0'],
  newsletter: ['#0a3f8a', '#f6f8fa'],
};

const thumbnails = new Map<string, string>();

/** A small SVG thumbnail (data URL) in the category's colours (one per category and label, shared). */
function thumbnail(category: Category, label: string): string {
  const key = `${category}|${label}`;
  const known = thumbnails.get(key);
  if (known) return known;
  const [dark, light] = HUES[category];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160">` +
    `<rect width="320" height="160" fill="${light}"/><circle cx="270" cy="30" r="70" fill="${dark}" opacity=".25"/>` +
    `<rect x="24" y="96" width="180" height="12" rx="6" fill="${dark}"/><rect x="24" y="118" width="120" height="10" rx="5" fill="${dark}" opacity=".5"/>` +
    `<text x="24" y="64" font-family="sans-serif" font-size="26" font-weight="700" fill="${dark}">${label}</text></svg>`;
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  thumbnails.set(key, url);
  return url;
}

/** A contract-shaped journey; `n` varies the details. Every third one has no thumbnail. */
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
    tags: [category.replace('_', ' '), ...TAGS[category].slice(0, 1 + (n % 3))],
    stepCount: kind === 'template' ? 1 : 2 + (n % 3),
    approvalRequired: n % 3 === 1,
    thumbnailUrl: n % 3 === 2 ? null : thumbnail(category, kind === 'template' ? 'Template' : 'Journey'),
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

/** The full journey behind a summary: its steps (0, 3, 10… days apart) with locked and editable blocks. */
export function journeyDetail(summary: JourneySummary, brandUser = false): JourneyDetail {
  const zh = summary.locale === 'zh-CN';
  return {
    ...summary,
    steps: Array.from({ length: summary.stepCount }, (_, i) => ({
      id: `step-${i + 1}`,
      name: zh
        ? `第 ${i + 1} 封邮件`
        : (['Welcome', 'A useful tip', 'How are you getting on?', 'Last call'][i] ?? `Email ${i + 1}`),
      delayDays: [0, 3, 10, 30][i] ?? i * 10,
      subject: zh ? `{{ contact.first_name }}，${summary.name}` : `${summary.name}, {{ contact.first_name }}`,
      preheader: '',
      blocks: [
        {
          id: 'header',
          kind: 'header' as const,
          label: zh ? '品牌页眉' : 'Brand header',
          locked: true,
          content: '',
        },
        {
          id: 'greeting',
          kind: 'text' as const,
          label: zh ? '问候语' : 'Greeting',
          locked: false,
          content: '<p>Hi {{ contact.first_name }},</p>',
          rules: {
            required: true,
            maxLength: 80,
            format: 'plain' as const,
            restrictedWords: [],
            restrictedPatterns: [],
            allowedImageDomains: [],
            allowedLinkSchemes: ['https' as const, 'mailto' as const],
          },
        },
        {
          id: 'note',
          kind: 'text' as const,
          label: zh ? '个人留言' : 'Personal note',
          locked: false,
          content: `<p>${summary.summary}</p>`,
          rules: {
            required: false,
            maxLength: 600,
            format: 'basic' as const,
            restrictedWords: ['free'],
            restrictedPatterns: [],
            allowedImageDomains: [],
            allowedLinkSchemes: ['https' as const, 'mailto' as const],
          },
        },
        {
          id: 'legal',
          kind: 'legal' as const,
          label: zh ? '法律声明' : 'Legal footer',
          locked: true,
          content: '',
        },
      ],
    })),
    mergeFields: [{ key: 'contact.first_name', label: 'First name', fallback: 'there' }],
    approvalRule: summary.approvalRequired
      ? { mode: 'over_recipients', threshold: 25, approver: 'partner_manager' }
      : { mode: 'never', approver: 'partner_manager' },
    audience: { tiers: [], regions: [] },
    partnerStats: brandUser
      ? null
      : {
          sends: Math.round(summary.stats.sends / 10),
          recipients: Math.round(summary.stats.recipients / 10),
          partners: 1,
          openRate: summary.stats.openRate === null ? null : Math.min(1, summary.stats.openRate + 0.06),
          clickRate: summary.stats.clickRate,
        },
  };
}

/** A step rendered for the sample contact, as `GET /v1/journeys/{id}/preview` would. */
function previewHtml(summary: JourneySummary, stepId: string): string {
  const [dark, light] = HUES[summary.category];
  const zh = summary.locale === 'zh-CN';
  return (
    `<!doctype html><html lang="${summary.locale}"><head><meta charset="utf-8"></head>` +
    `<body style="margin:0;background:#ffffff;font-family:Arial,sans-serif;line-height:1.5;color:#1f2328">` +
    `<div style="max-width:560px;margin:0 auto;padding:16px">` +
    `<div style="background:${dark};color:#ffffff;padding:16px;font-weight:700">Aurora Motors</div>` +
    `<div style="background:${light};padding:16px"><p>${zh ? '小明，您好：' : 'Hi Alex,'}</p><p>${summary.summary}</p>` +
    `<p><a href="https://aurora-motors.example" style="color:${dark}">${zh ? '了解更多' : 'Find out more'}</a></p></div>` +
    `<p style="font-size:12px;color:#59636e">Nordlicht Autohaus · Hafenstraße 1, Kiel · ${stepId}</p></div></body></html>`
  );
}

interface Filters {
  q?: string;
  category?: string;
  locale?: string;
  channel?: string;
  kind?: string;
  tags: string[];
}

function filtersOf(url: URL): Filters {
  const p = url.searchParams;
  return {
    q: p.get('q')?.toLowerCase() || undefined,
    category: p.get('category') || undefined,
    locale: p.get('locale') || undefined,
    channel: p.get('channel') || undefined,
    kind: p.get('kind') || undefined,
    tags: p
      .getAll('tags')
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

function matches(j: JourneySummary, f: Filters, without?: keyof Filters): boolean {
  const use = (k: keyof Filters) => k !== without;
  return (
    (!use('q') ||
      !f.q ||
      f.q
        .split(/\s+/)
        .every((w) => `${j.name} ${j.summary} ${j.tags.join(' ')}`.toLowerCase().includes(w))) &&
    (!use('category') || !f.category || j.category === f.category) &&
    (!use('locale') || !f.locale || j.locale === f.locale) &&
    (!use('channel') || !f.channel || j.channel === f.channel) &&
    (!use('kind') || !f.kind || j.kind === f.kind) &&
    (!use('tags') || f.tags.every((t) => j.tags.includes(t)))
  );
}

function countBy(list: JourneySummary[], key: (j: JourneySummary) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const j of list) for (const v of key(j)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

const rank = (j: JourneySummary, q: string | undefined) => {
  const words = q?.split(/\s+/).filter(Boolean) ?? [];
  if (words.every((w) => j.name.toLowerCase().includes(w))) return 0;
  if (words.every((w) => `${j.name} ${j.tags.join(' ')}`.toLowerCase().includes(w))) return 1;
  return 2;
};

/** A `fetch` serving the mock API. */
export function mockFetch(options: MockApiOptions = {}): FetchLike {
  const { mode = 'ok', journeys = sampleJourneys, status = 503, latency = 350, brandUser = false } = options;
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
    const path = url.pathname;
    const source = mode === 'empty' ? [] : journeys;
    const f = filtersOf(url);
    if (path.endsWith('/v1/journeys/facets')) {
      const facet = (name: keyof Filters, key: (j: JourneySummary) => string[]) =>
        countBy(
          source.filter((j) => matches(j, f, name)),
          key,
        );
      const all = source.filter((j) => matches(j, f));
      return json({
        total: all.length,
        category: facet('category', (j) => [j.category]),
        locale: facet('locale', (j) => [j.locale]),
        channel: facet('channel', (j) => [j.channel]),
        kind: facet('kind', (j) => [j.kind]),
        tags: countBy(all, (j) => j.tags).slice(0, 30),
      });
    }
    const one = path.match(/\/v1\/journeys\/([^/]+)(\/preview)?$/);
    if (one) {
      const summary = source.find((j) => j.id === decodeURIComponent(one[1]!));
      if (!summary) return json({ error: { code: 'not_found', message: 'journey not found' } }, 404);
      if (!one[2]) return json(journeyDetail(summary, brandUser));
      const stepId = url.searchParams.get('stepId') ?? 'step-1';
      const html = previewHtml(summary, stepId);
      return json({
        journeyId: summary.id,
        stepId,
        subject: `${summary.name}, Alex`,
        preheader: '',
        html,
        text: summary.summary,
        sampleContact: {
          name: summary.locale === 'zh-CN' ? '王小明' : 'Alex Sample',
          email: 'alex.sample@example.com',
        },
      });
    }
    if (!path.endsWith('/v1/journeys')) {
      return json({ error: { code: 'not_found', message: `No mock for ${path}` } }, 404);
    }
    const sort = url.searchParams.get('sort') ?? 'newest';
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const matching = source
      .filter((j) => matches(j, f))
      .sort((a, b) => {
        if (sort === 'name') return a.name.localeCompare(b.name);
        if (sort === 'most_used') return b.stats.sends - a.stats.sends;
        if (sort === 'best_results') return (b.stats.clickRate ?? -1) - (a.stats.clickRate ?? -1);
        if (sort === 'relevance')
          return rank(a, f.q) - rank(b, f.q) || b.createdAt.localeCompare(a.createdAt);
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

// ---------------------------------------------------------------------------------------------------
// Quick send: one journey with locked and editable blocks, a partner's contacts, previews and sends.
// (Imports are hoisted; they sit here so this section only appends to the shared file.)

import type { Contact, Journey, Personalization, PreviewIssue } from '../../src/contract/index.js';
import { checkBlock } from '../../src/elements/quick-send/rules.js';

/** How `POST /v1/sends` answers: accepted now, held for approval, rejected (422), offline, or never. */
export type QuickSendOutcome = 'scheduled' | 'pending_approval' | 'rejected' | 'network' | 'hang';

export interface QuickSendMockOptions {
  /** `loading`: the journey never arrives; `error`: it fails with 503; `empty`: no contacts. Default `ok`. */
  mode?: MockMode;
  /** What a send does. Default `scheduled`. */
  outcome?: QuickSendOutcome;
  /** Milliseconds before each answer. Default 300. */
  latency?: number;
}

const ASSETS = 'assets.aurora-motors.example';

/** A one-step thank-you template with the brand's usual locked and editable blocks. */
export const visitJourney: Journey = {
  ...makeJourney(1, { id: 'j-visit', stepCount: 1, approvalRequired: false }),
  steps: [
    {
      id: 'visit',
      name: 'Thank you for your visit',
      delayDays: 0,
      subject: 'Thank you for visiting us, {{ contact.first_name }}',
      preheader: 'A note from your Aurora Motors partner',
      blocks: [
        {
          id: 'header',
          kind: 'header',
          label: 'Brand header',
          locked: true,
          content: `<img src="https://${ASSETS}/email/logo.png" alt="Aurora Motors" width="168">`,
        },
        {
          id: 'greeting',
          kind: 'text',
          label: 'Greeting',
          locked: false,
          content: '<p>Hi {{ contact.first_name }},</p>',
          rules: {
            required: true,
            maxLength: 80,
            format: 'plain',
            restrictedWords: [],
            restrictedPatterns: [],
            allowedImageDomains: [],
            allowedLinkSchemes: ['https', 'mailto'],
          },
        },
        {
          id: 'intro',
          kind: 'text',
          label: 'Personal note',
          locked: false,
          content:
            '<p>Thank you for stopping by {{ partner.name }}. It was a pleasure to show you the new Aurora range.</p>',
          rules: {
            required: true,
            maxLength: 600,
            format: 'basic',
            restrictedWords: ['free', 'guaranteed', 'cheapest', 'best price'],
            restrictedPatterns: ['[€$¥]\\s?\\d'],
            allowedImageDomains: [],
            allowedLinkSchemes: ['https', 'mailto'],
          },
        },
        {
          id: 'photo',
          kind: 'image',
          label: 'Photo (from approved libraries)',
          locked: false,
          content: `<img src="https://${ASSETS}/email/showroom.jpg" alt="The showroom" width="600">`,
          rules: {
            required: false,
            format: 'plain',
            restrictedWords: [],
            restrictedPatterns: [],
            allowedImageDomains: [ASSETS],
            allowedLinkSchemes: ['https', 'mailto'],
          },
        },
        {
          id: 'terms',
          kind: 'text',
          label: 'Offer terms',
          locked: true,
          content: '<p><small>Test drives by appointment. Offer valid at participating partners.</small></p>',
        },
        {
          id: 'signature',
          kind: 'footer',
          label: 'Signature',
          locked: true,
          content: '<p>Kind regards,<br>{{ sender.signature }}</p>',
        },
        {
          id: 'legal',
          kind: 'legal',
          label: 'Legal footer',
          locked: true,
          content:
            '<p>Aurora Motors GmbH, Am Hafen 1, 20457 Hamburg. <a href="{{ unsubscribe_url }}">Unsubscribe</a>.</p>',
        },
      ],
    },
  ],
  mergeFields: [
    { key: 'contact.first_name', label: 'First name', fallback: 'there' },
    { key: 'partner.name', label: 'Partner name', fallback: 'your Aurora Motors partner' },
    { key: 'sender.signature', label: 'Signature', fallback: 'Your Aurora Motors team' },
  ],
  approvalRule: { mode: 'never', approver: 'partner_manager' },
  audience: { tiers: [], regions: [] },
};

/** The same message behind the brand's approval. */
export const offerJourney: Journey = {
  ...visitJourney,
  ...makeJourney(4, { id: 'j-offer', stepCount: 1, approvalRequired: true }),
  steps: visitJourney.steps,
  mergeFields: visitJourney.mergeFields,
  approvalRule: { mode: 'always', approver: 'brand_compliance' },
  audience: visitJourney.audience,
};

const person = (
  n: number,
  firstName: string | null,
  lastName: string | null,
  extra: Partial<Contact> = {},
): Contact => ({
  id: `c-${n}`,
  email: `${(firstName ?? 'customer').toLowerCase()}.${(lastName ?? String(n)).toLowerCase()}@example.com`,
  firstName,
  lastName,
  company: n % 3 === 0 ? 'Hansen Logistik' : null,
  locale: 'en',
  consent: 'opted_in',
  status: 'active',
  mailable: true,
  tags: [],
  createdAt: new Date(Date.UTC(2026, 8, 30) - n * 86_400_000).toISOString(),
  ...extra,
});

/** A partner's address book, including contacts who cannot be mailed. */
export const sampleContacts: Contact[] = [
  person(1, 'Anna', 'Schmidt'),
  person(2, 'Ben', 'Okafor'),
  person(3, 'Chen', 'Li', { status: 'unsubscribed', mailable: false }),
  person(4, null, null),
  person(5, 'Dana', 'Weiss', { status: 'bounced', mailable: false }),
  person(6, 'Emre', 'Yilmaz'),
  person(7, 'Fatima', 'Haddad', { consent: 'opted_out', mailable: false }),
  person(8, 'Grace', 'Hansen'),
  person(9, 'Hiro', 'Tanaka', { status: 'complained', mailable: false }),
  person(10, 'Ines', 'Moreau'),
  person(11, 'Jonas', 'Becker'),
  person(12, 'Karin', 'Lund'),
  ...Array.from({ length: 30 }, (_, i) => person(13 + i, `Customer${13 + i}`, 'Example')),
];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A rough stand-in for the server's renderer: enough to show a believable email in the preview. */
function renderMock(journey: Journey, contact: Contact, personalization: Personalization) {
  const data: Record<string, string> = {
    'contact.first_name': contact.firstName ?? 'there',
    'partner.name': 'Nordlicht Autohaus',
    'sender.signature': 'Mara Jensen, Nordlicht Autohaus',
    unsubscribe_url: 'https://dm.example/u/preview',
  };
  const merge = (s: string) =>
    s.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, k: string) => escapeHtml(data[k] ?? ''));
  const step = journey.steps[0]!;
  const blocks = step.blocks.map((b) => {
    const own = b.locked ? undefined : personalization[b.id];
    if (own === undefined) return merge(b.content);
    if (b.kind === 'image') return `<img src="${escapeHtml(own)}" alt="" style="max-width:100%">`;
    return own
      .split(/\n\s*\n/)
      .map((p) => `<p>${merge(escapeHtml(p)).replace(/\n/g, '<br>')}</p>`)
      .join('');
  });
  const subject = merge(step.subject);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>` +
    '<body style="margin:0;background:#ffffff">' +
    '<div style="max-width:640px;margin:0 auto;padding:16px;font-family:Arial,sans-serif;line-height:1.5;color:#1f2328">' +
    blocks.map((b) => `<div>${b}</div>`).join('') +
    '</div></body></html>';
  const text = html
    .replace(/<br>/g, '\n')
    .replace(/<\/p>/g, '\n\n')
    .replace(/<[^>]*>/g, '')
    .trim();
  return { subject, html, text };
}

function contactIssues(contact: Contact): PreviewIssue[] {
  if (contact.status === 'unsubscribed')
    return [
      {
        code: 'unsubscribed',
        severity: 'blocking',
        field: contact.id,
        message: `${contact.email} has unsubscribed`,
      },
    ];
  if (contact.status !== 'active')
    return [
      {
        code: 'suppressed',
        severity: 'blocking',
        field: contact.id,
        message: `${contact.email} is suppressed (${contact.status})`,
      },
    ];
  if (contact.consent === 'opted_out')
    return [
      {
        code: 'no_consent',
        severity: 'blocking',
        field: contact.id,
        message: `${contact.email} opted out of email`,
      },
    ];
  if (!contact.firstName)
    return [
      {
        code: 'missing_merge_data',
        severity: 'warning',
        field: 'contact.first_name',
        message: 'no first name: "there" is used instead',
      },
    ];
  return [];
}

function ruleIssues(journey: Journey, personalization: Personalization): PreviewIssue[] {
  return journey.steps[0]!.blocks.flatMap((block) =>
    checkBlock(block, personalization[block.id]).map((f): PreviewIssue => ({
      code: f.code === 'required' ? 'required' : 'rule_violation',
      severity: 'blocking',
      field: block.id,
      message: `${block.label}: ${f.code.replace(/_/g, ' ')}`,
    })),
  );
}

/** A `fetch` serving journeys, contacts, previews and sends for `<dm-quick-send>` stories. */
export function quickSendMockFetch(options: QuickSendMockOptions = {}): FetchLike {
  const { mode = 'ok', outcome = 'scheduled', latency = 300 } = options;
  const journeys = [visitJourney, offerJourney];
  let sendCount = 0;
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    const url = new URL(request.url);
    const path = url.pathname;
    const body = request.method === 'POST' ? ((await request.clone().json()) as Record<string, unknown>) : {};
    if (mode === 'loading' && path.startsWith('/v1/journeys')) await wait(2 ** 31 - 1, signal);
    await wait(latency, signal);
    if (mode === 'error' && path.startsWith('/v1/journeys')) {
      return json({ error: { code: 'server', message: 'Mock failure' } }, 503);
    }
    if (path === '/v1/journeys') return json({ items: journeys, nextCursor: null, total: journeys.length });
    // Other catalogue endpoints (facets, step previews) come from the showroom's mock.
    if (path.startsWith('/v1/journeys/') && !journeys.some((j) => path === `/v1/journeys/${j.id}`)) {
      return mockFetch({ latency: 0 })(request);
    }
    if (path.startsWith('/v1/journeys/')) {
      const found = journeys.find((j) => j.id === decodeURIComponent(path.split('/').pop()!));
      return found ? json(found) : json({ error: { code: 'not_found', message: 'journey not found' } }, 404);
    }
    const contacts = mode === 'empty' ? [] : sampleContacts;
    const find = (id: string) => contacts.find((c) => c.id === id);
    if (path === '/v1/contacts') {
      const q = url.searchParams.get('q')?.toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const matching = contacts.filter(
        (c) => !q || `${c.firstName ?? ''} ${c.lastName ?? ''} ${c.email}`.toLowerCase().includes(q),
      );
      const items = matching.slice(start, start + limit);
      const nextCursor = start + limit < matching.length ? String(start + limit) : null;
      return json({ items, nextCursor, total: matching.length });
    }
    const journey = journeys.find((j) => j.id === body.journeyId) ?? visitJourney;
    const personalization = (body.personalization ?? {}) as Personalization;
    if (path === '/v1/previews') {
      const contact = find(body.contactId as string);
      if (!contact) return json({ error: { code: 'not_found', message: 'contact not found' } }, 404);
      return json({
        ...renderMock(journey, contact, personalization),
        issues: [...contactIssues(contact), ...ruleIssues(journey, personalization)],
        from: 'Nordlicht Autohaus via Aurora Motors <partners@aurora-motors.example>',
        replyTo: 'mara.jensen@nordlicht.example',
      });
    }
    if (path === '/v1/previews/batch') {
      const ids = body.contactIds as string[];
      const items = ids.flatMap((id) => {
        const contact = find(id);
        if (!contact) return [];
        const issues = contactIssues(contact);
        const status = issues.some((i) => i.severity === 'blocking')
          ? 'blocking'
          : issues.length
            ? 'warning'
            : 'ok';
        const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null;
        return [{ contactId: id, email: contact.email, name, status, issues }];
      });
      const count = (s: string) => items.filter((i) => i.status === s).length;
      return json({
        items,
        summary: {
          recipients: items.length,
          ok: count('ok'),
          warning: count('warning'),
          blocking: count('blocking'),
          byCode: {},
        },
        issues: ruleIssues(journey, personalization),
      });
    }
    if (path === '/v1/sends') {
      if (outcome === 'hang') await wait(2 ** 31 - 1, signal);
      if (outcome === 'network') throw new TypeError('Failed to fetch');
      if (outcome === 'rejected') {
        return json(
          {
            error: {
              code: 'validation',
              message: 'body.contactIds.0: suppressed',
              fields: [
                {
                  path: 'body.contactIds.0',
                  message: 'this contact was suppressed a moment ago (complained)',
                },
                {
                  path: 'body',
                  message: 'no postal address for the footer: add one to your partner profile',
                },
              ],
            },
          },
          422,
        );
      }
      sendCount++;
      const scheduledAt = (body.scheduledAt as string | undefined) ?? null;
      return json(
        {
          id: `snd_story_${sendCount}`,
          kind: body.kind ?? 'quick',
          journeyId: journey.id,
          journeyName: journey.name,
          partnerId: 'p-nordlicht',
          createdBy: 'u-mara',
          status:
            journey.approvalRule.mode === 'always' || outcome === 'pending_approval'
              ? 'pending_approval'
              : 'scheduled',
          recipientCount: (body.contactIds as string[]).length,
          createdAt: new Date().toISOString(),
          scheduledAt,
        },
        201,
      );
    }
    return json({ error: { code: 'not_found', message: `No mock for ${path}` } }, 404);
  };
}

/** A real SDK client over {@link quickSendMockFetch}, without retries. */
export function createQuickSendMockClient(options: QuickSendMockOptions = {}): DmClient {
  return createClient({
    baseUrl: BASE_URL,
    fetch: quickSendMockFetch(options),
    retry: { limit: 0 },
    ...(options.mode === 'loading' || options.outcome === 'hang' ? { timeout: 2 ** 31 - 1 } : {}),
  });
}

import {
  Journey,
  JourneyFacets,
  JourneyStepPreview,
  type FacetCount,
  type JourneySummary,
} from '../../../src/contract/index.js';
import { errorResponse, journeyPage, json } from './api.js';

type Handler = (url: URL, request: Request) => Response | Promise<Response>;

/** The filters of a showroom request, read from its query string. */
function filtersOf(url: URL) {
  const p = url.searchParams;
  return {
    q: p.get('q')?.toLowerCase() ?? undefined,
    category: p.get('category') ?? undefined,
    locale: p.get('locale') ?? undefined,
    channel: p.get('channel') ?? undefined,
    kind: p.get('kind') ?? undefined,
    tags: p.getAll('tags'),
  };
}

type Filters = ReturnType<typeof filtersOf>;
type FilterName = 'q' | 'category' | 'locale' | 'channel' | 'kind' | 'tags';

function matches(j: JourneySummary, f: Filters, without?: FilterName): boolean {
  const use = (k: FilterName) => k !== without;
  const text = `${j.name} ${j.summary} ${j.tags.join(' ')}`.toLowerCase();
  return (
    (!use('q') || !f.q || f.q.split(/\s+/).every((w) => text.includes(w))) &&
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
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

/** A full journey for a summary: `stepCount` steps 0, 3, 10… days apart, a locked header and an editable note. */
export function detailOf(summary: JourneySummary, overrides: Partial<Journey> = {}): Journey {
  return Journey.parse({
    ...summary,
    steps: Array.from({ length: summary.stepCount }, (_, i) => ({
      id: `step-${i + 1}`,
      name: `Step ${i + 1}`,
      delayDays: [0, 3, 10, 30][i] ?? i * 10,
      subject: `Subject ${i + 1} of ${summary.name}`,
      preheader: '',
      blocks: [
        { id: 'header', kind: 'header', label: 'Brand header', locked: true, content: '<p>Brand</p>' },
        {
          id: 'note',
          kind: 'text',
          label: 'Personal note',
          locked: false,
          content: '<p>Hi {{ contact.first_name }}</p>',
          rules: { required: true, maxLength: 300 },
        },
      ],
    })),
    mergeFields: [{ key: 'contact.first_name', label: 'First name', fallback: 'there' }],
    approvalRule: summary.approvalRequired
      ? { mode: 'over_recipients', threshold: 25, approver: 'partner_manager' }
      : { mode: 'never', approver: 'partner_manager' },
    audience: { tiers: [], regions: [] },
    partnerStats: { sends: 2, recipients: 3, partners: 1, openRate: null, clickRate: null },
    ...overrides,
  });
}

export interface ShowroomApiOptions {
  /** Extra answers for a request; return undefined to fall through to the default. */
  override?: (url: URL, request: Request) => Response | Promise<Response> | undefined;
  detail?: (summary: JourneySummary) => Journey;
}

/**
 * The showroom's endpoints over `all`: the listing (filters, `limit`, a numeric `cursor`), facets
 * computed like the server's, one journey, and a step preview.
 */
export function showroomHandler(all: JourneySummary[], options: ShowroomApiOptions = {}): Handler {
  return async (url, request) => {
    const custom = await options.override?.(url, request);
    if (custom) return custom;
    const path = url.pathname.replace(/^.*?(?=\/v1\/)/, '');
    const f = filtersOf(url);
    if (path === '/v1/journeys') {
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const matching = all.filter((j) => matches(j, f));
      const items = matching.slice(start, start + limit);
      const next = start + limit < matching.length ? String(start + limit) : null;
      return json(journeyPage(items, { nextCursor: next, total: matching.length }));
    }
    if (path === '/v1/journeys/facets') {
      const facet = (name: FilterName, key: (j: JourneySummary) => string[]) =>
        countBy(
          all.filter((j) => matches(j, f, name)),
          key,
        );
      const visible = all.filter((j) => matches(j, f));
      return json(
        JourneyFacets.parse({
          total: visible.length,
          category: facet('category', (j) => [j.category]),
          locale: facet('locale', (j) => [j.locale]),
          channel: facet('channel', (j) => [j.channel]),
          kind: facet('kind', (j) => [j.kind]),
          tags: countBy(visible, (j) => j.tags).slice(0, 30),
        }),
      );
    }
    const preview = path.match(/^\/v1\/journeys\/([^/]+)\/preview$/);
    if (preview) {
      const summary = all.find((j) => j.id === decodeURIComponent(preview[1]!));
      if (!summary) return errorResponse(404, 'not_found');
      const stepId = url.searchParams.get('stepId') ?? 'step-1';
      return json(
        JourneyStepPreview.parse({
          journeyId: summary.id,
          stepId,
          subject: `Rendered ${stepId}`,
          preheader: '',
          html: `<!doctype html><html><body><p id="rendered">${summary.name} / ${stepId}</p></body></html>`,
          text: `${summary.name} / ${stepId}`,
          sampleContact: { name: 'Alex Sample', email: 'alex.sample@example.com' },
        }),
      );
    }
    const one = path.match(/^\/v1\/journeys\/([^/]+)$/);
    if (one) {
      const summary = all.find((j) => j.id === decodeURIComponent(one[1]!));
      if (!summary) return errorResponse(404, 'not_found');
      return json((options.detail ?? detailOf)(summary));
    }
    return errorResponse(404, 'not_found');
  };
}

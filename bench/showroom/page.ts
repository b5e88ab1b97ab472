/**
 * The browser side of `bench/showroom.bench.ts`: 10,000 journeys, shown by `<dm-journey-showroom>` (over an
 * in-memory client that answers at once, so the figures are the element's, not the network's or the
 * SDK's) and by a plain Lit list that renders every card. `window.showroomBench.run(kind)` mounts one of
 * them, filters it to one category, scrolls it, and reports timings, DOM size and the longest task.
 */
import { html, LitElement, css } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type {
  Category,
  Journey,
  JourneyFacets,
  JourneyPage,
  JourneyQuery,
  JourneySummary,
} from '../../src/contract/index.js';
import '../../src/elements/journey-showroom/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import type { DmClient } from '../../src/sdk/index.js';
import { themeDeclarations } from '../../src/styles/tokens.js';

const COUNT = 10_000;
const CATEGORIES: Category[] = [
  'onboarding',
  'thank_you',
  'follow_up',
  'reminder',
  'offer',
  'promotion',
  'event',
  'newsletter',
];
const FILTER: Category = 'offer';
const SCROLL_STEP = 150;
const SCROLL_FRAMES = 120;

const journeys: JourneySummary[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `j-${i}`,
  kind: i % 3 === 0 ? 'journey' : 'template',
  name: `Journey ${i}: ${CATEGORIES[i % 8]!.replace('_', ' ')} for every season`,
  summary: `A brand-approved message number ${i}, with a personal note from the partner and locked legal text.`,
  category: CATEGORIES[i % 8]!,
  channel: 'email',
  locale: i % 5 === 0 ? 'zh-CN' : 'en',
  tags: ['seasonal', `tag-${i % 40}`],
  stepCount: (i % 3) + 1,
  approvalRequired: i % 4 === 0,
  thumbnailUrl: null,
  createdAt: new Date(Date.UTC(2026, 0, 1) - i * 60_000).toISOString(),
  stats: {
    sends: i * 3,
    recipients: i * 40,
    partners: i % 20,
    openRate: i % 7 === 0 ? null : 0.3,
    clickRate: null,
  },
}));

/** A response arrives in a task of its own, as from `fetch`, without any network delay. */
const response = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Answers like the API would, with every match on one page: the element never asks for more than 100
 * at a time, so this is the worst case, a catalogue the user has scrolled all the way through.
 */
function clientFor(all: JourneySummary[]): DmClient {
  const matching = (query: JourneyQuery = {}) =>
    all.filter((j) => !query.category || j.category === query.category);
  return {
    journeys: {
      list: async (query?: JourneyQuery): Promise<JourneyPage> => {
        await response();
        const items = matching(query);
        return { items, nextCursor: null, total: items.length };
      },
      facets: async (query?: JourneyQuery): Promise<JourneyFacets> => {
        await response();
        return {
          total: matching(query).length,
          category: CATEGORIES.map((value) => ({ value, count: COUNT / 8 })),
          locale: [],
          channel: [],
          kind: [],
          tags: [],
        };
      },
      get: async (): Promise<Journey> => {
        throw new Error('not used');
      },
      preview: async () => {
        throw new Error('not used');
      },
    },
  } as unknown as DmClient;
}

/** The peer: a plain Lit element that renders a card for every journey (no virtualization). */
class BenchPlainList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
      gap: 1rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    article {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      block-size: 24rem;
      padding: 1rem;
      border: 1px solid #d1d9e0;
      border-radius: 0.75rem;
    }
  `;

  @property({ attribute: false }) items: JourneySummary[] = [];
  @property() category?: Category;

  protected override render() {
    const shown = this.category ? this.items.filter((j) => j.category === this.category) : this.items;
    return html`<ul>
      ${repeat(
        shown,
        (j) => j.id,
        (j) =>
          html`<li>
            <article tabindex="-1" aria-labelledby=${`t-${j.id}`} data-id=${j.id}>
              <div><span>${j.category}</span> <span>${j.locale}</span></div>
              <h3 id=${`t-${j.id}`}>${j.name}</h3>
              <p>${j.summary}</p>
              <ul>
                <li>${j.stepCount} steps</li>
                <li>${j.kind}</li>
              </ul>
              <div>
                <button type="button">Details</button> <button type="button">Use this journey</button>
              </div>
            </article>
          </li>`,
      )}
    </ul>`;
  }
}

/** Resolves after the next frame has been painted. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function countNodes(root: Node): number {
  let n = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    n++;
    if (node instanceof Element && node.shadowRoot) n += countNodes(node.shadowRoot);
  }
  return n;
}

export interface RunResult {
  mountMs: number;
  filterMs: number;
  /** Longest frame (ms between animation frames) while scrolling 150 px per frame for 120 frames. */
  scrollFrameMs: number;
  domNodes: number;
  domNodesAfterScroll: number;
  cardsInDom: number;
  /** Longest task of each phase (PerformanceObserver `longtask`: only tasks of 50 ms or more; 0 = none). */
  longestTaskMs: number;
  mountTaskMs: number;
  filterTaskMs: number;
  scrollTaskMs: number;
}

/** Mounts one of the two lists over `items` into `host`. */
async function mount(kind: 'showroom' | 'plain', host: HTMLElement, items: JourneySummary[]): Promise<void> {
  if (kind === 'showroom') {
    const el = document.createElement('dm-journey-showroom') as DmJourneyShowroom;
    el.client = clientFor(items);
    el.pageSize = 100;
    host.append(el);
    await until(() => !!el.shadowRoot?.querySelector('[part~="card"]'), 'showroom cards');
  } else {
    const el = document.createElement('bench-plain-list') as BenchPlainList;
    el.items = items;
    host.append(el);
    await el.updateComplete;
  }
}

/**
 * One measured run in a fresh page. `warm`: mount and remove a 24-journey instance first, so the code
 * is compiled and the fonts are shaped, as on a portal page that is already in use; otherwise this is
 * the first DM Kit element on the page.
 */
async function run(kind: 'showroom' | 'plain', warm = false): Promise<RunResult> {
  const host = document.getElementById('host')!;
  if (warm) {
    await mount(kind, host, journeys.slice(0, 24));
    await painted();
    host.replaceChildren();
    await painted();
  }
  const longTasks: Array<{ start: number; duration: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      longTasks.push({ start: entry.startTime, duration: entry.duration });
  });
  const longestBetween = (from: number, to: number) =>
    Math.max(0, ...longTasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration));
  observer.observe({ type: 'longtask', buffered: false });
  const cards = (): Element[] =>
    kind === 'showroom'
      ? [...(host.firstElementChild?.shadowRoot?.querySelectorAll('[part~="card"]') ?? [])]
      : [...(host.firstElementChild?.shadowRoot?.querySelectorAll('article') ?? [])];
  const firstCategory = () => cards()[0]?.getAttribute('data-id');

  // Mount: from creating the element to the first cards painted.
  await painted();
  const mountStart = performance.now();
  let t0 = mountStart;
  await mount(kind, host, journeys);
  await painted();
  const mountMs = performance.now() - t0;
  const domNodes = countNodes(document.body);

  // Filter: from choosing a category to its cards painted.
  const before = firstCategory();
  const filterStart = performance.now();
  t0 = filterStart;
  if (kind === 'showroom') (host.firstElementChild as DmJourneyShowroom).category = FILTER;
  else (host.firstElementChild as BenchPlainList).category = FILTER;
  await until(() => {
    const first = firstCategory();
    return !!first && first !== before && cards().length > 0;
  }, 'filtered cards');
  await painted();
  const filterMs = performance.now() - t0;

  // Scroll: a steady flick down the filtered list, 150 px per frame for 120 frames (18,000 px).
  let scrollFrameMs = 0;
  const scrollStart = performance.now();
  let last = scrollStart;
  // Set scrollTop as a wheel does: the virtualizer wraps window.scrollBy/scrollTo with its own logic.
  const scroller = document.scrollingElement!;
  for (let frame = 0; frame < SCROLL_FRAMES; frame++) {
    scroller.scrollTop += SCROLL_STEP;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    scrollFrameMs = Math.max(scrollFrameMs, now - last);
    last = now;
  }
  await painted();
  const scrollEnd = performance.now();
  const domNodesAfterScroll = countNodes(document.body);
  const cardsInDom = cards().length;
  // Long-task entries arrive after their task: give the observer a moment.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return {
    mountMs,
    filterMs,
    scrollFrameMs,
    domNodes,
    domNodesAfterScroll,
    cardsInDom,
    longestTaskMs: longestBetween(mountStart, scrollEnd),
    mountTaskMs: longestBetween(mountStart, filterStart),
    filterTaskMs: longestBetween(filterStart, scrollStart),
    scrollTaskMs: longestBetween(scrollStart, scrollEnd),
  };
}

/** Sets the page up (an explicit call: the package's `sideEffects` list would let a bundler drop a bare import). */
export function install(): void {
  customElements.define('bench-plain-list', BenchPlainList);
  const style = document.createElement('style');
  style.textContent = `:root { ${themeDeclarations('light')} } body { margin: 0; font-family: system-ui; } #host { padding: 16px; }`;
  document.head.append(style);
  (window as unknown as { showroomBench: { run: typeof run; count: number } }).showroomBench = {
    run,
    count: COUNT,
  };
}

import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/elements/approval-queue/define.js';
import '../../src/elements/provider/define.js';
import { Approval, ApprovalDetail, ApprovalPage } from '../../src/contract/index.js';
import type { DmApprovalQueue } from '../../src/elements/approval-queue/approval-queue.js';
import type { DmApprovalConflictEvent, DmApprovalDecidedEvent } from '../../src/events/approval.js';
import { en } from '../../src/translations/en.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { StubApi, errorResponse, hang, json } from './support/api.js';
import { part, parts, shadow, text, waitForState } from './support/helpers.js';

const HOUR = 3_600_000;
const PARTNERS = [
  { id: 'partner_north', name: 'Nordlicht Autohaus' },
  { id: 'partner_south', name: 'Südstern Motors' },
];

/** A contract-valid approval submitted `hoursAgo` hours ago. */
function approval(n: number, overrides: Partial<Approval> & { hoursAgo?: number } = {}): Approval {
  const { hoursAgo = 1 + n * 0.01, ...rest } = overrides;
  const partner = PARTNERS[n % 2]!;
  const submittedAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  return Approval.parse({
    id: `apr_${n}`,
    status: 'pending',
    version: 0,
    send: {
      id: `snd_${n}`,
      kind: 'quick',
      journeyId: `j_${n % 3}`,
      journeyName: `Journey ${n}`,
      partnerId: partner.id,
      createdBy: 'u_jana',
      status: 'pending_approval',
      recipientCount: 10 + n,
      createdAt: submittedAt,
      scheduledAt: null,
    },
    submittedAt,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    decidedByName: null,
    submittedBy: { id: 'u_jana', name: 'Jana Weber' },
    partnerName: partner.name,
    approver: 'partner_manager',
    rule: { mode: 'edited', approver: 'partner_manager' },
    contentHash: 'a'.repeat(64),
    canDecide: true,
    ...rest,
  });
}

function detailOf(a: Approval, overrides: Partial<ApprovalDetail> = {}): ApprovalDetail {
  return ApprovalDetail.parse({
    ...a,
    recipients: {
      count: a.send.recipientCount,
      sample: Array.from({ length: 3 }, (_, i) => ({
        contactId: `c_${i}`,
        email: `anna${i}@example.com`,
        name: i === 0 ? 'Anna Meyer' : null,
      })),
    },
    preview: {
      contactId: 'c_0',
      stepId: 'st_main',
      subject: `Hello Anna (${a.id})`,
      html: `<!doctype html><html><body><p>Preview of ${a.id}</p><script>parent.hacked = true</script></body></html>`,
      text: 'Preview',
      from: 'Nordlicht Autohaus via Aurora Motors <partners@aurora.example>',
      replyTo: 'sales@nordlicht.example',
    },
    redline: [
      {
        stepId: 'st_main',
        stepName: 'Main',
        blockId: 'b_intro',
        label: 'Introduction',
        kind: 'text',
        edited: true,
        original: 'We hope you enjoyed the test drive.',
        edit: 'We hope you loved the new model.',
        segments: [
          { op: 'equal', text: 'We hope you ' },
          { op: 'delete', text: 'enjoyed the test drive' },
          { op: 'insert', text: 'loved the new model' },
          { op: 'equal', text: '.' },
        ],
        overrides: [],
        overrideCount: 0,
      },
      {
        stepId: 'st_main',
        stepName: 'Main',
        blockId: 'b_note',
        label: 'Personal note',
        kind: 'text',
        edited: false,
        original: 'Kind regards',
        edit: null,
        segments: [{ op: 'equal', text: 'Kind regards' }],
        overrides: [],
        overrideCount: 0,
      },
    ],
    reasons: [{ code: 'edited', message: '1 editable block(s) differ', blocks: 1 }],
    warnings: [{ code: 'no_consent', severity: 'warning', message: 'unknown consent', count: 2 }],
    history: [
      {
        version: 0,
        action: 'submitted',
        actor: { id: 'u_jana', name: 'Jana Weber' },
        at: a.submittedAt,
        reason: null,
        contentHash: 'a'.repeat(64),
      },
    ],
    ...overrides,
  });
}

interface QueueApiOptions {
  /** Answers a decision; default: success (status from the decision, version + 1). */
  decide?: (
    id: string,
    body: { decision: string; reason?: string },
    version: string | null,
  ) => Response | Promise<Response>;
  /** Answers `GET /v1/approvals/{id}`; default: the detail of the known item. */
  detail?: (id: string) => Response | Promise<Response>;
  /** Answers `GET /v1/live`; default 404 (no live endpoint). */
  live?: (request: Request) => Response | Promise<Response>;
  list?: (url: URL, request: Request) => Response | Promise<Response>;
}

type QueueStub = StubApi & { bodies: { id: string; body: { decision: string; reason?: string } }[] };

/** An in-memory approvals API over `all` (pages by numeric cursor, filters like the server). */
function queueApi(all: Approval[], options: QueueApiOptions = {}): QueueStub {
  const byId = new Map(all.map((a) => [a.id, a]));
  const bodies: QueueStub['bodies'] = [];
  const api = new StubApi(async (url, request) => {
    const path = url.pathname;
    if (path.endsWith('/v1/live'))
      return options.live ? options.live(request) : errorResponse(404, 'not_found');
    const decision = /\/v1\/approvals\/([^/]+)\/decision$/.exec(path);
    if (decision && request.method === 'POST') {
      const id = decodeURIComponent(decision[1]!);
      const body = (await request.json()) as { decision: string; reason?: string };
      bodies.push({ id, body });
      if (options.decide) return options.decide(id, body, request.headers.get('if-match'));
      const item = byId.get(id)!;
      const decided = {
        ...item,
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        version: item.version + 1,
        decidedAt: new Date().toISOString(),
        decidedBy: 'u_manager',
        decidedByName: 'Petra Lindqvist',
        reason: body.reason ?? null,
        canDecide: false,
        send: { ...item.send, status: body.decision === 'approve' ? 'scheduled' : 'rejected' },
      };
      return json(decided);
    }
    const one = /\/v1\/approvals\/([^/]+)$/.exec(path);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (options.detail) return options.detail(id);
      const item = byId.get(id);
      return item ? json(detailOf(item)) : errorResponse(404, 'not_found');
    }
    if (path.endsWith('/v1/approvals')) {
      if (options.list) return options.list(url, request);
      const q = url.searchParams.get('q')?.toLowerCase();
      const partnerId = url.searchParams.get('partnerId');
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const matching = all.filter(
        (a) =>
          (!q || a.send.journeyName.toLowerCase().includes(q)) &&
          (!partnerId || a.send.partnerId === partnerId),
      );
      const items = matching.slice(start, start + limit);
      return json(
        ApprovalPage.parse({
          items,
          nextCursor: start + limit < matching.length ? String(start + limit) : null,
          total: matching.length,
          facets: {
            partners: PARTNERS.map((p) => ({ ...p, count: 1 })),
            journeys: [{ id: 'j_0', name: 'Journey 0', count: 1 }],
          },
        }),
      );
    }
    return errorResponse(404, 'not_found');
  });
  return Object.assign(api, { bodies });
}

interface MountOptions {
  locale?: string;
  theme?: 'light' | 'dark';
  view?: 'queue' | 'mine';
  slaHours?: number;
  pageSize?: number;
}

async function mount(api: StubApi, options: MountOptions = {}): Promise<DmApprovalQueue> {
  const provider = await fixture(
    html`<dm-provider
      .client=${api.client()}
      theme=${options.theme ?? 'light'}
      locale=${ifDefined(options.locale)}
    >
      <dm-approval-queue
        view=${ifDefined(options.view)}
        sla-hours=${ifDefined(options.slaHours)}
        page-size=${ifDefined(options.pageSize)}
      ></dm-approval-queue>
    </dm-provider>`,
  );
  return provider.querySelector('dm-approval-queue')!;
}

const rows = (el: DmApprovalQueue) => [...shadow(el).querySelectorAll<HTMLElement>('.row')];
const rowIds = (el: DmApprovalQueue) => rows(el).map((r) => r.dataset.id);
const focusedId = (el: DmApprovalQueue) =>
  (shadow(el).activeElement?.closest('.row') as HTMLElement | null)?.dataset.id ?? null;
const decisions = (api: StubApi) => api.requests.filter((r) => r.url.pathname.endsWith('/decision'));
const listCalls = (api: StubApi) => api.to('/v1/approvals');

async function loaded(el: DmApprovalQueue, detailFor?: string): Promise<void> {
  await waitForState(el, 'loaded');
  await waitUntil(() => rows(el).length > 0, 'rows render');
  if (detailFor) await waitUntil(() => shadow(el).querySelector('.detail__content'), 'detail renders');
}

/** Focuses the first row's button with the keyboard: from the search box, Tab until a row has focus. */
async function tabToList(el: DmApprovalQueue): Promise<void> {
  part<HTMLInputElement>(el, 'search')!.focus();
  for (let i = 0; i < 8 && !shadow(el).activeElement?.classList.contains('row__main'); i++) {
    await sendKeys({ press: 'Tab' });
  }
  expect(shadow(el).activeElement?.classList.contains('row__main'), 'a row has focus').to.equal(true);
}

const sample = Array.from({ length: 6 }, (_, i) => approval(i + 1, { hoursAgo: 60 - i * 10 }));

describe('<dm-approval-queue>', () => {
  describe('accessibility', () => {
    it('is accessible with the queue and a detail loaded', async () => {
      const el = await mount(queueApi(sample));
      await loaded(el, 'apr_1');
      await expect(el).to.be.accessible();
    });

    it('is accessible while loading', async () => {
      const el = await mount(new StubApi((_, request) => hang(request)));
      await waitForState(el, 'loading');
      await expect(el).to.be.accessible();
      expect(part(el, 'spinner')).to.exist;
      expect(text(shadow(el).querySelector('.states')?.previousElementSibling)).to.equal(en['state.loading']);
    });

    it('is accessible in the error state, with a retry', async () => {
      let fail = true;
      const api = queueApi(sample, {
        list: (url, request) =>
          fail ? errorResponse(503, 'server') : queueApi(sample).fetch(request.url, { method: 'GET' }),
      });
      const el = await mount(api);
      await waitForState(el, 'error');
      await expect(el).to.be.accessible();
      expect(text(part(el, 'error'))).to.contain(en['error.server']);
      fail = false;
      part<HTMLButtonElement>(el, 'retry-button')!.click();
      await loaded(el);
    });

    it('is accessible when nothing is waiting', async () => {
      const el = await mount(queueApi([]));
      await waitForState(el, 'empty');
      await expect(el).to.be.accessible();
      expect(text(part(el, 'empty'))).to.equal(en['approvals.empty']);
    });

    it('is accessible with the reject dialog open, in the dark theme', async () => {
      const el = await mount(queueApi(sample), { theme: 'dark' });
      await loaded(el, 'apr_1');
      part<HTMLButtonElement>(el, 'reject-button')!.click();
      await waitUntil(() => shadow(el).querySelector('dialog')?.open, 'dialog opens');
      await expect(el).to.be.accessible();
      expect(getComputedStyle(part(el, 'dialog')!).backgroundColor).to.equal('rgb(13, 17, 23)');
    });
  });

  describe('queue', () => {
    it('lists oldest first with SLA badges that say late or overdue in text', async () => {
      const items = [
        approval(1, { hoursAgo: 50 }),
        approval(2, { hoursAgo: 30 }),
        approval(3, { hoursAgo: 2 }),
      ];
      const el = await mount(queueApi(items), { slaHours: 24 });
      await loaded(el);
      expect(rowIds(el)).to.deep.equal(['apr_1', 'apr_2', 'apr_3']);
      const badge = (id: string) => text(shadow(el).querySelector(`.row[data-id="${id}"] [part~="sla"]`));
      expect(badge('apr_1')).to.equal('Overdue: 50 h');
      expect(badge('apr_2')).to.equal('Late: 30 h');
      expect(badge('apr_3')).to.equal('');
      expect(rows(el)[0]!.classList.contains('row--overdue')).to.equal(true);
      expect(text(part(el, 'count'))).to.equal('3 sends waiting');
      expect(rows(el)[0]!.getAttribute('aria-posinset')).to.equal('1');
      expect(rows(el)[0]!.getAttribute('aria-setsize')).to.equal('3');
    });

    it('filters by partner from the facets and searches after a pause', async () => {
      const api = queueApi(sample);
      const el = await mount(api);
      await loaded(el);
      const select = part<HTMLSelectElement>(el, 'partner-select')!;
      expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal([
        en['approvals.allPartners'],
        'Nordlicht Autohaus',
        'Südstern Motors',
      ]);
      select.value = 'partner_south';
      select.dispatchEvent(new Event('change'));
      await waitUntil(
        () => listCalls(api).at(-1)?.url.searchParams.get('partnerId') === 'partner_south',
        'partner filter',
      );
      await waitUntil(() => rowIds(el).every((id) => Number(id!.split('_')[1]) % 2 === 1));
      const search = part<HTMLInputElement>(el, 'search')!;
      search.focus();
      await sendKeys({ type: 'journey 3' });
      await waitUntil(() => listCalls(api).at(-1)?.url.searchParams.get('q') === 'journey 3', 'search sent');
      await waitUntil(() => rowIds(el).join() === 'apr_3');
    });
  });

  describe('detail', () => {
    it('shows recipients, reasons, warnings, the redline with <ins>/<del>, the sandboxed email and history', async () => {
      const el = await mount(queueApi(sample));
      await loaded(el, 'apr_1');
      const detail = part(el, 'detail')!;
      expect(text(part(el, 'recipients'))).to.contain('11 recipients');
      expect(text(part(el, 'recipients'))).to.contain('Anna Meyer <anna0@example.com>');
      expect(text(part(el, 'recipients'))).to.contain('and 8 more');
      expect(text(part(el, 'warnings'))).to.contain('1 editable block differs from the brand original.');
      expect(text(part(el, 'warnings'))).to.contain('2 recipients whose consent is unknown');

      const [intro, note] = parts(el, 'redline');
      const ins = intro!.querySelector('ins')!;
      const del = intro!.querySelector('del')!;
      expect(text(ins)).to.equal('added: loved the new model');
      expect(text(del)).to.equal('removed: enjoyed the test drive');
      expect(ins.querySelector('.visually-hidden')).to.exist;
      expect(getComputedStyle(ins).textDecorationLine).to.equal('underline');
      expect(getComputedStyle(del).textDecorationLine).to.equal('line-through');
      expect(text(intro!.querySelector('.redline__text'))).to.equal(
        'We hope you removed: enjoyed the test drive added: loved the new model.',
      );
      expect(note!.querySelector('ins, del')).to.equal(null);
      expect(text(note)).to.contain('Unchanged: Kind regards');

      const frame = part<HTMLIFrameElement>(el, 'preview')!;
      expect(frame.getAttribute('sandbox')).to.equal('');
      expect(frame.sandbox.length).to.equal(0);
      expect(frame.getAttribute('srcdoc')).to.contain('Preview of apr_1');
      expect(frame.title).to.equal('Email preview: Hello Anna (apr_1)');
      expect((window as unknown as { hacked?: boolean }).hacked).to.equal(undefined);
      expect(text(part(el, 'history'))).to.contain('Submitted by Jana Weber');
      expect(detail.getAttribute('aria-busy')).to.equal('false');
    });
  });

  describe('keyboard-first review', () => {
    it('moves with j/k and arrows, approves with a, rejects with r + reason + Enter', async () => {
      const api = queueApi(sample);
      const el = await mount(api);
      await loaded(el, 'apr_1');
      expect(text(part(el, 'hints'))).to.contain('a approve');
      await tabToList(el);
      expect(focusedId(el)).to.equal('apr_1');
      await sendKeys({ press: 'j' });
      await waitUntil(() => focusedId(el) === 'apr_2', 'j moves down');
      await sendKeys({ press: 'ArrowDown' });
      await waitUntil(() => focusedId(el) === 'apr_3', 'ArrowDown moves down');
      await sendKeys({ press: 'k' });
      await waitUntil(() => focusedId(el) === 'apr_2', 'k moves up');
      await waitUntil(() => text(part(el, 'detail')).includes('Journey 2'), 'detail follows');

      const decided = oneEvent(el, 'dm-approval-decided') as Promise<DmApprovalDecidedEvent>;
      await sendKeys({ press: 'a' });
      const event = await decided;
      expect(event.detail.id).to.equal('apr_2');
      expect(event.detail.decision).to.equal('approve');
      expect(event.detail.approval.status).to.equal('approved');
      const [request] = decisions(api);
      expect(request!.request.headers.get('if-match')).to.equal('"0"');
      expect(rowIds(el)).to.not.include('apr_2');
      await waitUntil(() => focusedId(el) === 'apr_3', 'the next item gets focus');
      expect(text(part(el, 'message'))).to.equal('Approved: Journey 2.');

      await sendKeys({ press: 'r' });
      const dialog = shadow(el).querySelector('dialog')!;
      await waitUntil(
        () => dialog.open && shadow(el).activeElement?.id === 'reason',
        'the reason box has focus',
      );
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => text(dialog).includes(en['approvals.dialog.required']), 'a reason is required');
      expect(decisions(api)).to.have.length(1);
      await sendKeys({ type: 'Offer terms changed' });
      const rejected = oneEvent(el, 'dm-approval-decided') as Promise<DmApprovalDecidedEvent>;
      await sendKeys({ press: 'Enter' });
      const reject = await rejected;
      expect(reject.detail).to.include({ id: 'apr_3', decision: 'reject' });
      expect(dialog.open).to.equal(false);
      expect(api.bodies[1]).to.deep.equal({
        id: 'apr_3',
        body: { decision: 'reject', reason: 'Offer terms changed' },
      });
      await waitUntil(() => focusedId(el) === 'apr_4', 'focus returns to the queue');
    });

    it('keeps the list filled from small pages, and again after deciding', async () => {
      const api = queueApi(sample);
      const el = await mount(api, { pageSize: 2 });
      await loaded(el, 'apr_1');
      await waitUntil(() => rowIds(el).length === 6, 'every page loads while the list has room');
      expect(listCalls(api).map((r) => r.url.searchParams.get('cursor'))).to.deep.equal([null, '2', '4']);
      await tabToList(el);
      await sendKeys({ press: 'a' });
      await waitUntil(() => rowIds(el).length === 5 && focusedId(el) === 'apr_2', 'the next item has focus');
    });

    it('Escape closes the reject dialog without deciding', async () => {
      const api = queueApi(sample);
      const el = await mount(api);
      await loaded(el, 'apr_1');
      await tabToList(el);
      await sendKeys({ press: 'r' });
      const dialog = shadow(el).querySelector('dialog')!;
      await waitUntil(() => dialog.open);
      await sendKeys({ type: 'half a reason' });
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialog.open, 'Escape closes');
      await waitUntil(() => focusedId(el) === 'apr_1', 'focus back on the item');
      expect(decisions(api)).to.have.length(0);
      expect(rowIds(el)).to.include('apr_1');
    });

    it('ignores shortcuts while typing in the search box', async () => {
      const api = queueApi(sample);
      const el = await mount(api);
      await loaded(el, 'apr_1');
      let decided = 0;
      el.addEventListener('dm-approval-decided', () => decided++);
      const search = part<HTMLInputElement>(el, 'search')!;
      search.focus();
      await sendKeys({ type: 'jark' });
      expect(search.value).to.equal('jark');
      expect(shadow(el).activeElement).to.equal(search);
      expect(shadow(el).querySelector('dialog')!.open).to.equal(false);
      await waitUntil(
        () => listCalls(api).at(-1)?.url.searchParams.get('q') === 'jark',
        'the search went out',
      );
      expect(decisions(api)).to.have.length(0);
      expect(decided).to.equal(0);
    });
  });

  describe('conflicts and failures', () => {
    it('409: rolls back, names who decided first, fires dm-approval-conflict and no dm-approval-decided', async () => {
      const first = sample[0]!;
      const winner = {
        ...first,
        status: 'approved',
        version: 1,
        decidedBy: 'u_compliance',
        decidedByName: 'Greta Hoffmann',
        canDecide: false,
      };
      const api = queueApi(sample, {
        decide: () =>
          json({ error: { code: 'conflict', message: 'already approved', current: winner } }, 409),
        detail: (id) =>
          json(detailOf(id === first.id ? Approval.parse(winner) : sample.find((s) => s.id === id)!)),
      });
      const el = await mount(api);
      await loaded(el, 'apr_1');
      let decided = 0;
      el.addEventListener('dm-approval-decided', () => decided++);
      await tabToList(el);
      const conflict = oneEvent(el, 'dm-approval-conflict') as Promise<DmApprovalConflictEvent>;
      await sendKeys({ press: 'a' });
      const event = await conflict;
      expect(event.detail.id).to.equal('apr_1');
      expect(event.detail.current?.status).to.equal('approved');
      expect(event.detail.current?.decidedByName).to.equal('Greta Hoffmann');
      await waitUntil(() => rowIds(el)[0] === 'apr_1', 'the item is back in its place');
      const alert = shadow(el).querySelector('[part~="message"][role="alert"]');
      expect(text(alert)).to.equal(
        'Journey 1 was already Approved by Greta Hoffmann. Your decision was not saved.',
      );
      const row = shadow(el).querySelector('.row[data-id="apr_1"]')!;
      expect(text(row)).to.contain(en['approvals.flag.conflict']);
      expect(text(row)).to.contain(en['approvals.status.approved']);
      expect(row.querySelector('input[type="checkbox"]'), 'no longer decidable').to.equal(null);
      expect(decided).to.equal(0);
    });

    it('409 on a send its sender withdrew: says so, and the item can no longer be decided', async () => {
      const first = sample[0]!;
      const withdrawn = Approval.parse({
        ...first,
        status: 'withdrawn',
        version: 1,
        canDecide: false,
        send: { ...first.send, status: 'cancelled' },
      });
      const api = queueApi(sample, {
        decide: () => json({ error: { code: 'conflict', message: 'withdrawn', current: withdrawn } }, 409),
        detail: (id) => json(detailOf(id === first.id ? withdrawn : sample.find((s) => s.id === id)!)),
      });
      const el = await mount(api);
      await loaded(el, 'apr_1');
      const conflict = oneEvent(el, 'dm-approval-conflict') as Promise<DmApprovalConflictEvent>;
      part<HTMLButtonElement>(el, 'approve-button')!.click();
      expect((await conflict).detail.current?.status).to.equal('withdrawn');
      await waitUntil(() => rowIds(el)[0] === 'apr_1');
      expect(text(shadow(el).querySelector('[part~="message"][role="alert"]'))).to.equal(
        'Journey 1 was withdrawn by its sender. There is nothing to decide.',
      );
      expect(text(shadow(el).querySelector('.row[data-id="apr_1"]'))).to.contain(
        en['approvals.status.withdrawn'],
      );
    });

    it('a server error rolls back with a message and keeps the item decidable', async () => {
      const api = queueApi(sample, { decide: () => errorResponse(503, 'server') });
      const el = await mount(api);
      await loaded(el, 'apr_1');
      part<HTMLButtonElement>(el, 'approve-button')!.click();
      await waitUntil(() => text(shadow(el).querySelector('[role="alert"][part~="message"]')).length > 0);
      expect(text(shadow(el).querySelector('[role="alert"][part~="message"]'))).to.equal(
        `Could not save the decision on Journey 1. ${en['error.server']}`,
      );
      expect(rowIds(el)[0]).to.equal('apr_1');
      expect(shadow(el).querySelector('.row[data-id="apr_1"] input[type="checkbox"]')).to.exist;
    });
  });

  describe('bulk', () => {
    it('approves a shift-selected range with progress and per-item results', async () => {
      const gates = new Map<string, () => void>();
      const api = queueApi(sample, {
        decide: async (id) => {
          await new Promise<void>((resolve) => gates.set(id, resolve));
          if (id === 'apr_2') return json({ error: { code: 'conflict', message: 'taken' } }, 409);
          if (id === 'apr_3') return errorResponse(500, 'server');
          const item = sample.find((s) => s.id === id)!;
          return json({ ...item, status: 'approved', version: 1, canDecide: false });
        },
      });
      const el = await mount(api);
      await loaded(el, 'apr_1');
      const box = (id: string) =>
        shadow(el).querySelector<HTMLInputElement>(`.row[data-id="${id}"] input[type="checkbox"]`)!;
      box('apr_1').click();
      box('apr_4').dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
      await el.updateComplete;
      expect(['apr_1', 'apr_2', 'apr_3', 'apr_4'].map((id) => box(id).checked)).to.deep.equal([
        true,
        true,
        true,
        true,
      ]);
      expect(box('apr_5').checked).to.equal(false);
      expect(text(part(el, 'toolbar'))).to.contain('4 selected');

      part<HTMLButtonElement>(el, 'approve-selected-button')!.click();
      await waitUntil(() => gates.size === 3, 'three decisions in flight at once');
      const progress = part<HTMLProgressElement>(el, 'progress')!;
      expect(progress.max).to.equal(4);
      expect(progress.value).to.equal(0);
      expect(el.matches(':state(bulk)')).to.equal(true);
      gates.get('apr_1')!();
      await waitUntil(() => part<HTMLProgressElement>(el, 'progress')!.value === 1, 'progress moves');
      expect(text(part(el, 'toolbar'))).to.contain('Approving: 1 of 4 done');
      for (const id of ['apr_2', 'apr_3']) gates.get(id)!();
      await waitUntil(() => gates.has('apr_4'), 'the fourth starts');
      gates.get('apr_4')!();
      await waitUntil(() => !el.matches(':state(bulk)'), 'bulk finishes');
      const results = parts(el, 'results')[0]!;
      const outcome = (id: string) =>
        results.querySelector<HTMLElement>(`[data-id="${id}"]`)?.dataset.outcome;
      expect(['apr_1', 'apr_2', 'apr_3', 'apr_4'].map(outcome)).to.deep.equal([
        'approved',
        'conflict',
        'failed',
        'approved',
      ]);
      expect(text(results)).to.contain(en['approvals.outcome.conflict']);
      expect(text(shadow(el).querySelector('[role="alert"][part~="message"]'))).to.equal(
        '2 decided, 1 already decided by someone else, 1 failed.',
      );
      expect(rowIds(el)).to.not.include('apr_1');
      expect(rowIds(el)).to.not.include('apr_4');
      expect(rowIds(el)).to.include('apr_2');
      expect(rowIds(el)).to.include('apr_3');
    });

    it('rejects the selection with one reason', async () => {
      const api = queueApi(sample);
      const el = await mount(api);
      await loaded(el, 'apr_1');
      await tabToList(el);
      await sendKeys({ press: 'x' });
      await sendKeys({ press: 'j' });
      await sendKeys({ press: 'x' });
      await waitUntil(() => text(part(el, 'toolbar')).includes('2 selected'));
      part<HTMLButtonElement>(el, 'reject-selected-button')!.click();
      const dialog = shadow(el).querySelector('dialog')!;
      await waitUntil(() => dialog.open && shadow(el).activeElement?.id === 'reason');
      expect(text(dialog.querySelector('h3'))).to.equal('Reject 2 sends');
      await sendKeys({ type: 'Not this quarter' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => decisions(api).length === 2 && !el.matches(':state(bulk)'));
      expect(api.bodies.map((b) => b.id).sort()).to.deep.equal(['apr_1', 'apr_2']);
      for (const { body } of api.bodies)
        expect(body).to.deep.equal({ decision: 'reject', reason: 'Not this quarter' });
    });
  });

  describe('scale', () => {
    it('renders a 10,000-item queue with a bounded number of DOM nodes', async function () {
      this.timeout(60_000);
      const all = Array.from({ length: 10_000 }, (_, i) => approval(i + 1, { hoursAgo: 10_000 - i }));
      const api = queueApi(all);
      const el = await mount(api);
      await loaded(el);
      const list = part(el, 'list')!;
      const nodes = () => shadow(el).querySelectorAll('*').length;
      const first = nodes();
      let maxRows = rows(el).length;
      for (let guard = 0; guard < 200; guard++) {
        const count = (el as unknown as { _items: Approval[] })._items.length;
        if (count >= 10_000) break;
        list.scrollTop = list.scrollHeight;
        await waitUntil(
          () => (el as unknown as { _items: Approval[] })._items.length > count,
          `more than ${count} loaded`,
          { timeout: 4000 },
        );
        maxRows = Math.max(maxRows, rows(el).length);
      }
      expect((el as unknown as { _items: Approval[] })._items.length).to.equal(10_000);
      expect(text(part(el, 'count'))).to.equal('10,000 sends waiting');
      await waitUntil(() => {
        list.scrollTop = list.scrollHeight;
        return rowIds(el).includes('apr_10000');
      }, 'the last row renders');
      expect(maxRows).to.be.lessThan(40);
      expect(nodes()).to.be.lessThan(first * 2 + 200);
      const last = rows(el).find((r) => r.dataset.id === 'apr_10000')!;
      expect(last.getAttribute('aria-posinset')).to.equal('10000');
      expect(api.to('/v1/approvals').length).to.equal(100);
    });
  });

  describe('view="mine"', () => {
    it('shows the partner’s submissions and their status, read only', async () => {
      const mine = [
        approval(1, { canDecide: false }),
        approval(2, {
          status: 'rejected',
          version: 1,
          reason: 'Offer terms changed',
          decidedByName: 'Petra Lindqvist',
          decidedAt: new Date().toISOString(),
          decidedBy: 'u_manager',
          canDecide: false,
        }),
      ];
      const api = queueApi(mine);
      const el = await mount(api, { view: 'mine' });
      await loaded(el);
      expect(api.to('/v1/approvals')[0]!.url.searchParams.get('view')).to.equal('mine');
      expect(el.matches(':state(readonly)')).to.equal(true);
      expect(shadow(el).querySelector('input[type="checkbox"]')).to.equal(null);
      expect(text(part(el, 'hints'))).to.not.contain('approve');
      expect(text(rows(el)[1])).to.contain('Rejected');
      await expect(el).to.be.accessible();
      await tabToList(el);
      await sendKeys({ press: 'j' });
      await waitUntil(() => focusedId(el) === 'apr_2');
      await waitUntil(() => shadow(el).querySelector('.detail__content'));
      expect(part(el, 'approve-button')).to.equal(null);
      expect(text(part(el, 'detail'))).to.contain('Reason: Offer terms changed');
      await sendKeys({ press: 'a' });
      await sendKeys({ press: 'r' });
      expect(decisions(api)).to.have.length(0);
      expect(shadow(el).querySelector('dialog')!.open).to.equal(false);
    });
  });

  describe('live updates', () => {
    it('adds a new pending item and removes one decided elsewhere, without reloading the list', async () => {
      let push: (frame: string) => void = () => undefined;
      const fresh = approval(99, { hoursAgo: 35 });
      const all = [...sample];
      const api = queueApi(all, {
        live: () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                const encoder = new TextEncoder();
                push = (frame) => controller.enqueue(encoder.encode(frame));
                push(': connected\n\n');
              },
            }),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
        detail: (id) => json(detailOf(id === fresh.id ? fresh : all.find((a) => a.id === id)!)),
      });
      const el = await mount(api);
      await loaded(el, 'apr_1');
      await waitUntil(() => api.to('/v1/live').length === 1, 'subscribed');
      const lists = api.to('/v1/approvals').length;
      const event = (id: string, status: string, seq: number) =>
        `id: e.${seq}\nevent: approval\ndata: ${JSON.stringify({
          type: 'approval',
          at: new Date().toISOString(),
          approvalId: id,
          status,
        })}\n\n`;
      push(event(fresh.id, 'pending', 1));
      await waitUntil(() => rowIds(el).includes('apr_99'), 'the new item appears');
      expect(rowIds(el).slice(0, 5)).to.deep.equal(['apr_1', 'apr_2', 'apr_3', 'apr_99', 'apr_4']);
      expect(text(part(el, 'count'))).to.equal('7 sends waiting');
      push(event('apr_2', 'approved', 2));
      await waitUntil(() => !rowIds(el).includes('apr_2'), 'the decided item leaves');
      expect(text(part(el, 'message'))).to.contain('Journey 2 was decided by someone else');
      expect(api.to('/v1/approvals').length).to.equal(lists, 'no list reload');
    });
  });

  describe('localization', () => {
    it('renders in Simplified Chinese', async () => {
      const el = await mount(queueApi(sample), { locale: 'zh-CN' });
      await loaded(el, 'apr_1');
      expect(text(part(el, 'count'))).to.equal('6 个发送等待审批');
      expect(text(part(el, 'approve-button'))).to.contain(zhCN['approvals.approve']);
      expect(shadow(el).querySelector('.base')!.getAttribute('lang')).to.equal('zh-CN');
    });
  });
});

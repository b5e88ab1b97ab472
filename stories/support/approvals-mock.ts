/**
 * An in-memory approvals API for the `<dm-approval-queue>` stories: a queue of held sends from a few
 * dealers, details with a rendered email and a redline, decisions that succeed, lose to another
 * approver (409) or take their time, and modes for loading, empty and error. Answers go through a real
 * SDK client (`createClient({ fetch })`), so every fixture is checked against the contract.
 */
import { Approval, ApprovalDetail, ApprovalPage } from '../../src/contract/index.js';
import { createClient, type DmClient, type FetchLike } from '../../src/sdk/index.js';

export interface ApprovalsMockOptions {
  mode?: 'ok' | 'loading' | 'empty' | 'error';
  /** How many items wait (default 24). */
  count?: number;
  /** `mine`: the partner's own submissions with mixed statuses. */
  view?: 'queue' | 'mine';
  /** Decisions: `ok` (default), `conflict` (someone else decided first) or `slow` (2.5 s each). */
  decide?: 'ok' | 'conflict' | 'slow';
  /** Milliseconds before each answer (default 250). */
  latency?: number;
}

const HOUR = 3_600_000;
const BASE_URL = 'https://dm.example';

const dealers = [
  { id: 'partner_north', name: 'Nordlicht Autohaus', sender: 'Jana Weber' },
  { id: 'partner_south', name: 'Südstern Motors', sender: 'Tom Berger' },
  { id: 'partner_east', name: 'Elbtal Autohaus', sender: 'Marie Schulz' },
  { id: 'partner_shanghai', name: '浦东极光汽车', sender: '李伟 Li Wei' },
];
const journeys = [
  { id: 'j_visit', name: 'Thank you for your visit' },
  { id: 'j_offer', name: 'Spring offer: 0% financing' },
  { id: 'j_service', name: 'Service reminder' },
  { id: 'j_event', name: 'Invitation: new model launch' },
];

/** The n-th item: older items first, ages spread from minutes to three days. */
export function mockApproval(n: number, total: number, view: 'queue' | 'mine' = 'queue'): Approval {
  const dealer = dealers[n % dealers.length]!;
  const journey = journeys[(n * 7) % journeys.length]!;
  const hoursAgo = total <= 1 ? 1 : 72 * (1 - n / total) + 0.2;
  const submittedAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const status = view === 'mine' ? (['pending', 'approved', 'rejected'] as const)[n % 3]! : 'pending';
  return Approval.parse({
    id: `apr_${n}`,
    status,
    version: status === 'pending' ? 0 : 1,
    send: {
      id: `snd_${n}`,
      kind: 'quick',
      journeyId: journey.id,
      journeyName: journey.name,
      partnerId: dealer.id,
      createdBy: `u_${dealer.id}`,
      status: status === 'pending' ? 'pending_approval' : status === 'approved' ? 'scheduled' : 'rejected',
      recipientCount: 3 + ((n * 37) % 240),
      createdAt: submittedAt,
      scheduledAt: null,
    },
    submittedAt,
    decidedAt: status === 'pending' ? null : new Date().toISOString(),
    decidedBy: status === 'pending' ? null : 'u_manager',
    reason: status === 'rejected' ? 'The financing terms must stay as the brand wrote them.' : null,
    decidedByName: status === 'pending' ? null : 'Petra Lindqvist',
    submittedBy: { id: `u_${dealer.id}`, name: dealer.sender },
    partnerName: dealer.name,
    approver: 'partner_manager',
    rule: { mode: 'edited', approver: 'partner_manager' },
    contentHash: 'c0ffee'.padEnd(64, '0'),
    canDecide: view === 'queue',
  });
}

const emailHtml = (
  name: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview</title></head>
<body style="margin:0;background:#ffffff;font-family:Arial,sans-serif;color:#1f2328">
<div style="max-width:560px;margin:0 auto;padding:16px;line-height:1.5">
<p style="font-weight:bold;font-size:20px">Aurora Motors</p>
<p>Dear Anna,</p>
<p>Thank you for visiting ${name}. We hope you <strong>loved the new Aurora E-Line</strong> and the coffee.</p>
<p>Kind regards,<br>Jana Weber</p>
<p style="font-size:12px;color:#555">Offer terms apply. Aurora Motors GmbH · Am Hafen 1 · Hamburg</p>
</div></body></html>`;

export function mockDetail(item: Approval): ApprovalDetail {
  return ApprovalDetail.parse({
    ...item,
    recipients: {
      count: item.send.recipientCount,
      sample: ['anna.meyer', 'ben.koch', 'clara.wolf', 'david.lang']
        .slice(0, Math.min(4, item.send.recipientCount))
        .map((local, i) => ({
          contactId: `c_${i}`,
          email: `${local}@mail.example`,
          name: i === 2 ? null : local.replace('.', ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
        })),
    },
    preview: {
      contactId: 'c_0',
      stepId: 'st_main',
      subject: `Thank you for your visit, Anna`,
      html: emailHtml(item.partnerName ?? 'us'),
      text: 'Thank you for your visit.',
      from: `${item.partnerName} via Aurora Motors <partners@aurora-motors.example>`,
      replyTo: 'sales@dealer.example',
    },
    redline: [
      {
        stepId: 'st_main',
        stepName: 'Thank you',
        blockId: 'b_intro',
        label: 'Introduction',
        kind: 'text',
        edited: true,
        original: 'Thank you for visiting us. We hope you enjoyed the test drive.',
        edit: 'Thank you for visiting us. We hope you loved the new Aurora E-Line and the coffee.',
        segments: [
          { op: 'equal', text: 'Thank you for visiting us. We hope you ' },
          { op: 'delete', text: 'enjoyed the test drive' },
          { op: 'insert', text: 'loved the new Aurora E-Line and the coffee' },
          { op: 'equal', text: '.' },
        ],
        overrides: [
          {
            contactId: 'c_1',
            email: 'ben.koch@mail.example',
            edit: 'Thank you for visiting us, Ben. See you at the launch!',
            segments: [
              { op: 'equal', text: 'Thank you for visiting us' },
              { op: 'delete', text: '. We hope you enjoyed the test drive.' },
              { op: 'insert', text: ', Ben. See you at the launch!' },
            ],
          },
        ],
        overrideCount: 1,
      },
      {
        stepId: 'st_main',
        stepName: 'Thank you',
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
    reasons: [{ code: 'edited', message: '1 editable block differs', blocks: 1 }],
    warnings: [
      { code: 'no_consent', severity: 'warning', message: 'unknown consent', count: 2 },
      { code: 'missing_merge_data', severity: 'warning', message: 'missing data', count: 1 },
    ],
    history: [
      {
        version: 0,
        action: 'submitted',
        actor: item.submittedBy ?? { id: 'u', name: 'Partner' },
        at: item.submittedAt,
        reason: null,
        contentHash: item.contentHash ?? '',
      },
      ...(item.status !== 'pending'
        ? [
            {
              version: 1,
              action: item.status,
              actor: { id: 'u_manager', name: 'Petra Lindqvist' },
              at: item.decidedAt ?? item.submittedAt,
              reason: item.reason,
              contentHash: item.contentHash ?? '',
            },
          ]
        : []),
    ],
  });
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A `fetch` for the approvals endpoints (pages of the requested size, numeric cursors). */
export function approvalsFetch(options: ApprovalsMockOptions = {}): FetchLike {
  const mode = options.mode ?? 'ok';
  const view = options.view ?? 'queue';
  const total = mode === 'empty' ? 0 : (options.count ?? 24);
  const latency = options.latency ?? 250;
  const cache = new Map<number, Approval>();
  const item = (n: number) => {
    let a = cache.get(n);
    if (!a) cache.set(n, (a = mockApproval(n, total, view)));
    return a;
  };
  const decided = new Set<string>();
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const wait = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        request.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    if (url.pathname.endsWith('/v1/live'))
      return json({ error: { code: 'not_found', message: 'no live' } }, 404);
    if (mode === 'loading') {
      await wait(10 ** 9);
    }
    await wait(latency);
    if (mode === 'error') return json({ error: { code: 'server', message: 'unavailable' } }, 503);
    const decision = /\/v1\/approvals\/apr_(\d+)\/decision$/.exec(url.pathname);
    if (decision) {
      const a = item(Number(decision[1]));
      const body = (await request.json()) as { decision: 'approve' | 'reject'; reason?: string };
      if (options.decide === 'slow') await wait(2500);
      if (options.decide === 'conflict' || decided.has(a.id)) {
        const current = {
          ...a,
          status: 'approved',
          version: 1,
          decidedBy: 'u_compliance',
          decidedByName: 'Greta Hoffmann',
          decidedAt: new Date().toISOString(),
          canDecide: false,
        };
        cache.set(Number(decision[1]), Approval.parse(current));
        return json(
          { error: { code: 'conflict', message: 'already approved by Greta Hoffmann', current } },
          409,
        );
      }
      decided.add(a.id);
      const status = body.decision === 'approve' ? 'approved' : 'rejected';
      return json({
        ...a,
        status,
        version: a.version + 1,
        reason: body.reason ?? null,
        decidedBy: 'u_manager',
        decidedByName: 'Petra Lindqvist',
        decidedAt: new Date().toISOString(),
        canDecide: false,
      });
    }
    const one = /\/v1\/approvals\/apr_(\d+)$/.exec(url.pathname);
    if (one) {
      const n = Number(one[1]);
      return n < total
        ? json(mockDetail(item(n)))
        : json({ error: { code: 'not_found', message: 'gone' } }, 404);
    }
    if (url.pathname.endsWith('/v1/approvals')) {
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const partnerId = url.searchParams.get('partnerId');
      const journeyId = url.searchParams.get('journeyId');
      const q = url.searchParams.get('q')?.toLowerCase();
      const filtered = partnerId || journeyId || q;
      const ids = Array.from({ length: total }, (_, n) => n);
      const matching = filtered
        ? ids.filter((n) => {
            const a = item(n);
            return (
              (!partnerId || a.send.partnerId === partnerId) &&
              (!journeyId || a.send.journeyId === journeyId) &&
              (!q ||
                `${a.send.journeyName} ${a.partnerName} ${a.submittedBy?.name}`.toLowerCase().includes(q))
            );
          })
        : ids;
      const page = matching.slice(start, start + limit).map(item);
      return json(
        ApprovalPage.parse({
          items: page,
          nextCursor: start + limit < matching.length ? String(start + limit) : null,
          total: matching.length,
          facets: {
            partners: dealers.map((d) => ({
              id: d.id,
              name: d.name,
              count: Math.ceil(total / dealers.length),
            })),
            journeys: journeys.map((j) => ({
              id: j.id,
              name: j.name,
              count: Math.ceil(total / journeys.length),
            })),
          },
        }),
      );
    }
    return json({ error: { code: 'not_found', message: `No mock for ${url.pathname}` } }, 404);
  };
}

export function createApprovalsMockClient(options: ApprovalsMockOptions = {}): DmClient {
  return createClient({ baseUrl: BASE_URL, fetch: approvalsFetch(options), retry: { limit: 0 } });
}

import {
  Approval,
  ApprovalDetail,
  ApprovalPage,
  Contact,
  ContactImportResult,
  ContactPage,
  DemoSession,
  DemoUserList,
  EngagementSeries,
  EngagementSummary,
  HealthStatus,
  Journey,
  JourneyFacets,
  JourneyPage,
  JourneyStepPreview,
  Me,
  Preview,
  PreviewBatch,
  RecipientPage,
  Send,
  SendPage,
  type ApprovalDecision,
  type ApprovalQuery,
  type ContactCreate,
  type ContactQuery,
  type EngagementScope,
  type JourneyFacetsQuery,
  type JourneyPreviewQuery,
  type JourneyQuery,
  type PreviewBatchRequest,
  type PreviewRequest,
  type RecipientQuery,
  type SendCreate,
  type SendEdit,
  type SendQuery,
  type SeriesQuery,
} from '../contract/index.js';
import type { z } from 'zod';
import { subscribe, type DmLive } from './live.js';
import { Transport, type FetchLike } from './transport.js';
import { path } from './url.js';

/** Options for {@link createClient}. */
export interface ClientOptions {
  /** Where the API lives, e.g. `https://dm.example.com` or `/dm` (same origin); paths start with `/v1`. */
  baseUrl: string;
  /** A fixed bearer token. Prefer `getToken` when tokens expire. */
  token?: string;
  /**
   * Returns the bearer token; called for every request, so it can hand out a refreshed one. After a
   * 401 the client calls it once more and repeats the request once with the new token.
   */
  getToken?: () => string | Promise<string>;
  /** Sent as `Accept-Language` (e.g. `en`, `zh-CN`). */
  locale?: string;
  /**
   * Where elements show email previews. Default: an `<iframe sandbox srcdoc>`, which inherits the host
   * page's Content-Security-Policy — a strict host policy blocks the email's inline styles and images.
   * `true` loads them in the server's `/preview-frame` page instead (under its own policy; allow its
   * origin in the host's `frame-src`); a string is that page's URL.
   */
  previewFrame?: boolean | string;
  /**
   * The `fetch` to use (default: the global one, looked up per request). May receive a `Request`
   * object as its first argument. Inject one for tests, Storybook or an in-process server.
   */
  fetch?: FetchLike;
  /** Per-attempt timeout in ms; a request that gets no response in time fails with kind `timeout`. Default 15 000. */
  timeout?: number;
  /**
   * Retries for safe requests only — GET, and POSTs that carry an `Idempotency-Key` — after network
   * errors and 408, 429, 502, 503, 504 (never 500). `Retry-After` is honoured up to `maxRetryAfter`;
   * otherwise the delay is exponential backoff with jitter from `baseDelay`, capped at `maxDelay`.
   */
  retry?: {
    /** Retries after the first attempt. Default 2. */
    limit?: number;
    /** Cap on a `Retry-After` wait, in ms. Default 10 000. */
    maxRetryAfter?: number;
    /** First backoff delay in ms (then doubled per retry, jittered to 50–100 %). Default 300. */
    baseDelay?: number;
    /** Cap on a backoff delay in ms. Default 10 000. */
    maxDelay?: number;
  };
}

/** Options every call accepts. */
export interface CallOptions {
  /**
   * Aborts the call: its promise rejects at once with a `DmApiError` of kind `aborted` and nothing is
   * retried. A GET shared with identical in-flight calls is cancelled once all of them have aborted.
   */
  signal?: AbortSignal;
}

/** The journey showroom. */
export interface DmJourneys {
  /** `GET /v1/journeys`: one page of journeys and templates. */
  list(query?: JourneyQuery, options?: CallOptions): Promise<JourneyPage>;
  /** `GET /v1/journeys/{id}`: one journey with steps, blocks, merge fields and approval rule. */
  get(id: string, options?: CallOptions): Promise<Journey>;
  /** `GET /v1/journeys/facets`: counts per category, locale, channel, kind and tag for the same filters. */
  facets(query?: JourneyFacetsQuery, options?: CallOptions): Promise<JourneyFacets>;
  /** `GET /v1/journeys/{id}/preview`: one step rendered for a sample contact (brand content, no edits). */
  preview(id: string, query?: JourneyPreviewQuery, options?: CallOptions): Promise<JourneyStepPreview>;
}

/** The caller's partner's contacts. */
export interface DmContacts {
  /** `GET /v1/contacts`: one page of contacts with consent and suppression status. */
  list(query?: ContactQuery, options?: CallOptions): Promise<ContactPage>;
  /** `POST /v1/contacts`: adds one contact. */
  create(body: ContactCreate, options?: CallOptions): Promise<Contact>;
  /** `POST /v1/contacts/import`: imports CSV text (header row first); reports row-level errors. */
  import(csv: string, options?: CallOptions): Promise<ContactImportResult>;
}

/** Server-rendered previews. */
export interface DmPreviews {
  /** `POST /v1/previews`: renders a step for a contact with the partner's content. */
  create(body: PreviewRequest, options?: CallOptions): Promise<Preview>;
  /** `POST /v1/previews/batch`: per-recipient issues (no HTML) for a whole send before it goes. */
  batch(body: PreviewBatchRequest, options?: CallOptions): Promise<PreviewBatch>;
}

/** Options for {@link DmSends.create}. */
export interface SendCreateOptions extends CallOptions {
  /**
   * Identifies this send across retries (sent as `Idempotency-Key`). Generated when absent; pass your
   * own to make a user's repeated submit of the same form a no-op.
   */
  idempotencyKey?: string;
}

/** Sends (quick or journey). */
export interface DmSends {
  /** `POST /v1/sends`: creates a send; retried safely with the same `Idempotency-Key`. */
  create(body: SendCreate, options?: SendCreateOptions): Promise<Send>;
  /** `GET /v1/sends`: one page of sends. */
  list(query?: SendQuery, options?: CallOptions): Promise<SendPage>;
  /** `GET /v1/sends/{id}`: one send with per-recipient status. */
  get(id: string, options?: CallOptions): Promise<Send>;
  /** `POST /v1/sends/{id}/cancel`: cancels a send that has not gone out. */
  cancel(id: string, options?: CallOptions): Promise<Send>;
  /**
   * `PATCH /v1/sends/{id}`: changes the personalization of a send that has not started delivering.
   * Changed content goes back to review (the send is `pending_approval` again when it needs approval).
   */
  update(id: string, edit: SendEdit, options?: CallOptions): Promise<Send>;
}

/** Options for {@link DmApprovals.decide}. */
export interface DecideOptions extends CallOptions {
  /** The approval's `version` as last read; sent as `If-Match`. A stale version fails with kind `conflict`. */
  version: number;
}

/** Approvals the caller may decide. */
export interface DmApprovals {
  /** `GET /v1/approvals`: one page of approvals. */
  list(query?: ApprovalQuery, options?: CallOptions): Promise<ApprovalPage>;
  /** `GET /v1/approvals/{id}`: one approval with recipients, the rendered email, redline, warnings and history. */
  get(id: string, options?: CallOptions): Promise<ApprovalDetail>;
  /** `POST /v1/approvals/{id}/decision`: approves or rejects (a reason is required to reject). */
  decide(id: string, decision: ApprovalDecision, options: DecideOptions): Promise<Approval>;
}

/** Engagement figures, scoped by send, journey, partner or network. */
export interface DmEngagement {
  /** `GET /v1/engagement/summary`: totals, rates and the network benchmark. */
  summary(query?: EngagementScope, options?: CallOptions): Promise<EngagementSummary>;
  /** `GET /v1/engagement/series`: totals per `interval`. */
  series(query?: SeriesQuery, options?: CallOptions): Promise<EngagementSeries>;
  /** `GET /v1/engagement/recipients`: one page of per-recipient rows. */
  recipients(query?: RecipientQuery, options?: CallOptions): Promise<RecipientPage>;
}

/** Demo mode only: sample users and sessions. */
export interface DmDemo {
  /** `GET /v1/demo/users`: the sample users. */
  users(options?: CallOptions): Promise<DemoUserList>;
  /** `POST /v1/demo/session`: a bearer token for a sample user. */
  session(userId: string, options?: CallOptions): Promise<DemoSession>;
}

/**
 * A DM Kit API client. Every method validates the response against the contract and rejects with a
 * `DmApiError` (see `isDmApiError`).
 */
export interface DmClient {
  /** `GET /v1/me`: the caller — user, role, brand and partner. */
  me(options?: CallOptions): Promise<Me>;
  /**
   * `GET /healthz`: liveness and database reachability. Resolves with the body for a degraded server
   * (503) too, and is never retried.
   */
  health(options?: CallOptions): Promise<HealthStatus>;
  /** The preview page elements frame email previews in, when `previewFrame` is set. */
  readonly previewFrameUrl: string | undefined;
  readonly journeys: DmJourneys;
  readonly contacts: DmContacts;
  readonly previews: DmPreviews;
  readonly sends: DmSends;
  readonly approvals: DmApprovals;
  readonly engagement: DmEngagement;
  readonly demo: DmDemo;
  readonly live: DmLive;
}

/**
 * Creates a client. Does no I/O until a method is called.
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'https://dm.example.com', getToken: () => portal.token() });
 * const page = await client.journeys.list({ category: 'offer', limit: 12 });
 * ```
 */
export function createClient(options: ClientOptions): DmClient {
  const transport = new Transport({
    baseUrl: options.baseUrl,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.getToken !== undefined ? { getToken: options.getToken } : {}),
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 15_000,
    retry: {
      limit: options.retry?.limit ?? 2,
      maxRetryAfter: options.retry?.maxRetryAfter ?? 10_000,
      baseDelay: options.retry?.baseDelay ?? 300,
      maxDelay: options.retry?.maxDelay ?? 10_000,
    },
  });
  const get = <S extends z.ZodType>(
    operation: string,
    url: string,
    schema: S,
    query: object | undefined,
    call: CallOptions | undefined,
  ) =>
    transport.request(
      { operation, method: 'GET', path: url, schema, ...(query ? { query } : {}) },
      call?.signal,
    );

  const { previewFrame } = options;
  return {
    previewFrameUrl:
      typeof previewFrame === 'string'
        ? previewFrame
        : previewFrame
          ? `${options.baseUrl.replace(/\/+$/, '')}/preview-frame`
          : undefined,
    me: (call) => get('me', '/v1/me', Me, undefined, call),
    health: (call) =>
      transport.request(
        {
          operation: 'health',
          method: 'GET',
          path: '/healthz',
          schema: HealthStatus,
          acceptStatus: [503],
          retry: false,
        },
        call?.signal,
      ),
    journeys: {
      list: (query, call) => get('journeys.list', '/v1/journeys', JourneyPage, query, call),
      get: (id, call) => get('journeys.get', path`/v1/journeys/${id}`, Journey, undefined, call),
      facets: (query, call) => get('journeys.facets', '/v1/journeys/facets', JourneyFacets, query, call),
      preview: (id, query, call) =>
        get('journeys.preview', path`/v1/journeys/${id}/preview`, JourneyStepPreview, query, call),
    },
    contacts: {
      list: (query, call) => get('contacts.list', '/v1/contacts', ContactPage, query, call),
      create: (body, call) =>
        transport.request(
          { operation: 'contacts.create', method: 'POST', path: '/v1/contacts', json: body, schema: Contact },
          call?.signal,
        ),
      import: (csv, call) =>
        transport.request(
          {
            operation: 'contacts.import',
            method: 'POST',
            path: '/v1/contacts/import',
            body: { data: csv, contentType: 'text/csv; charset=utf-8' },
            schema: ContactImportResult,
          },
          call?.signal,
        ),
    },
    previews: {
      create: (body, call) =>
        transport.request(
          { operation: 'previews.create', method: 'POST', path: '/v1/previews', json: body, schema: Preview },
          call?.signal,
        ),
      batch: (body, call) =>
        transport.request(
          {
            operation: 'previews.batch',
            method: 'POST',
            path: '/v1/previews/batch',
            json: body,
            schema: PreviewBatch,
          },
          call?.signal,
        ),
    },
    sends: {
      create: (body, call) =>
        transport.request(
          {
            operation: 'sends.create',
            method: 'POST',
            path: '/v1/sends',
            json: body,
            schema: Send,
            idempotencyKey: call?.idempotencyKey ?? randomKey(),
          },
          call?.signal,
        ),
      list: (query, call) => get('sends.list', '/v1/sends', SendPage, query, call),
      get: (id, call) => get('sends.get', path`/v1/sends/${id}`, Send, undefined, call),
      cancel: (id, call) =>
        transport.request(
          { operation: 'sends.cancel', method: 'POST', path: path`/v1/sends/${id}/cancel`, schema: Send },
          call?.signal,
        ),
      update: (id, edit, call) =>
        transport.request(
          {
            operation: 'sends.update',
            method: 'PATCH',
            path: path`/v1/sends/${id}`,
            json: edit,
            schema: Send,
          },
          call?.signal,
        ),
    },
    approvals: {
      list: (query, call) => get('approvals.list', '/v1/approvals', ApprovalPage, query, call),
      get: (id, call) => get('approvals.get', path`/v1/approvals/${id}`, ApprovalDetail, undefined, call),
      decide: (id, decision, call) =>
        transport.request(
          {
            operation: 'approvals.decide',
            method: 'POST',
            path: path`/v1/approvals/${id}/decision`,
            json: decision,
            headers: { 'if-match': `"${call.version}"` },
            schema: Approval,
          },
          call.signal,
        ),
    },
    engagement: {
      summary: (query, call) =>
        get('engagement.summary', '/v1/engagement/summary', EngagementSummary, query, call),
      series: (query, call) =>
        get('engagement.series', '/v1/engagement/series', EngagementSeries, query, call),
      recipients: (query, call) =>
        get('engagement.recipients', '/v1/engagement/recipients', RecipientPage, query, call),
    },
    demo: {
      users: (call) => get('demo.users', '/v1/demo/users', DemoUserList, undefined, call),
      session: (userId, call) =>
        transport.request(
          {
            operation: 'demo.session',
            method: 'POST',
            path: '/v1/demo/session',
            json: { user: userId },
            schema: DemoSession,
          },
          call?.signal,
        ),
    },
    live: {
      subscribe: (subscription) => subscribe(transport, subscription),
    },
  };
}

/** A random UUID v4 for `Idempotency-Key` (`crypto.randomUUID` where available, e.g. not on plain-HTTP pages). */
function randomKey(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

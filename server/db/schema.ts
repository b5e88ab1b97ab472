import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ApprovalRule, MergeField, Personalization, Step } from '../../src/contract/index.js';

/** Journey content frozen into a send. */
export interface SendSnapshot {
  name: string;
  steps: Step[];
  mergeFields: MergeField[];
  approvalRule: ApprovalRule;
}

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tags = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

export const brands = pgTable('brands', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  domain: text('domain').notNull(),
  postalAddress: text('postal_address').notNull(),
});

export const partners = pgTable(
  'partners',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    tier: text('tier', { enum: ['gold', 'silver', 'bronze'] }).notNull(),
    region: text('region').notNull(),
    replyTo: text('reply_to').notNull(),
    postalAddress: text('postal_address').notNull(),
    signature: text('signature').notNull().default(''),
  },
  (t) => [index('partners_brand_idx').on(t.brandId)],
);

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  brandId: text('brand_id')
    .notNull()
    .references(() => brands.id),
  partnerId: text('partner_id').references(() => partners.id),
  name: text('name').notNull(),
  email: text('email').notNull(),
  role: text('role', { enum: ['brand_admin', 'partner', 'approver'] }).notNull(),
  description: text('description').notNull().default(''),
});

export const journeys = pgTable(
  'journeys',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    kind: text('kind', { enum: ['journey', 'template'] }).notNull(),
    status: text('status', { enum: ['draft', 'published', 'archived'] }).notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull(),
    category: text('category').notNull(),
    channel: text('channel').notNull().default('email'),
    locale: text('locale').notNull(),
    tags: tags('tags'),
    /** Partner tiers/regions allowed to use it; empty = all. */
    tiers: tags('tiers'),
    regions: tags('regions'),
    /** Lower-cased name, summary and tags for search. */
    searchText: text('search_text').notNull(),
    steps: jsonb('steps').$type<Step[]>().notNull(),
    mergeFields: jsonb('merge_fields').$type<MergeField[]>().notNull(),
    approvalRule: jsonb('approval_rule').$type<ApprovalRule>().notNull(),
    thumbnailUrl: text('thumbnail_url'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Roll-up of network usage and results, refreshed from sends and events. */
    statSends: integer('stat_sends').notNull().default(0),
    statRecipients: integer('stat_recipients').notNull().default(0),
    statPartners: integer('stat_partners').notNull().default(0),
    statOpenRate: doublePrecision('stat_open_rate'),
    statClickRate: doublePrecision('stat_click_rate'),
  },
  (t) => [
    index('journeys_brand_created_idx').on(t.brandId, t.createdAt, t.id),
    index('journeys_brand_sends_idx').on(t.brandId, t.statSends, t.id),
    index('journeys_brand_click_idx').on(t.brandId, t.statClickRate, t.id),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    email: text('email').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    company: text('company'),
    locale: text('locale'),
    consent: text('consent', { enum: ['opted_in', 'unknown', 'opted_out'] }).notNull(),
    status: text('status', { enum: ['active', 'unsubscribed', 'bounced', 'complained'] }).notNull(),
    tags: tags('tags'),
    searchText: text('search_text').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_partner_email_idx').on(t.partnerId, t.email),
    index('contacts_partner_created_idx').on(t.partnerId, t.createdAt, t.id),
  ],
);

export const sends = pgTable(
  'sends',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    journeyId: text('journey_id')
      .notNull()
      .references(() => journeys.id),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ['quick', 'journey'] }).notNull(),
    status: text('status').notNull(),
    personalization: jsonb('personalization').$type<Personalization>().notNull().default({}),
    overrides: jsonb('overrides').$type<Record<string, Personalization>>().notNull().default({}),
    recipientCount: integer('recipient_count').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    scheduledAt: ts('scheduled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Quick sends: the step sent (journey sends use every step). */
    stepId: text('step_id'),
    /** The journey content as it was when the send was created (what was previewed and approved). */
    snapshot: jsonb('snapshot').$type<SendSnapshot>(),
  },
  (t) => [
    uniqueIndex('sends_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('sends_partner_created_idx').on(t.partnerId, t.createdAt, t.id),
  ],
);

export const sendRecipients = pgTable(
  'send_recipients',
  {
    sendId: text('send_id')
      .notNull()
      .references(() => sends.id),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    email: text('email').notNull(),
    status: text('status').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sendId, t.contactId] }),
    index('send_recipients_contact_idx').on(t.contactId),
  ],
);

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: text('brand_id').notNull(),
    partnerId: text('partner_id').notNull(),
    journeyId: text('journey_id').notNull(),
    sendId: text('send_id').notNull(),
    stepId: text('step_id').notNull(),
    contactId: text('contact_id').notNull(),
    type: text('type', {
      enum: ['sent', 'delivered', 'open', 'click', 'bounce', 'complaint', 'unsubscribe'],
    }).notNull(),
    machine: boolean('machine').notNull().default(false),
    at: ts('at').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('events_send_idx').on(t.sendId, t.at),
    index('events_partner_at_idx').on(t.partnerId, t.at),
    index('events_journey_at_idx').on(t.journeyId, t.at),
    index('events_brand_at_idx').on(t.brandId, t.at),
  ],
);

/**
 * One email to deliver: a (send, contact, step). State machine, every transition conditional on the
 * current state (and on `claim_token` for the worker holding the lease):
 * `held` (awaiting approval) → `queued` → `claimed` (lease) → `delivering` → `delivered` | `bounced`,
 * back to `queued` after a transient failure, `failed` after the last attempt, `cancelled` / `skipped`
 * (cancelled send, unsubscribed or bounced contact) from any state before `delivering`.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    sendId: text('send_id')
      .notNull()
      .references(() => sends.id),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    stepId: text('step_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    delayDays: integer('delay_days').notNull().default(0),
    brandId: text('brand_id').notNull(),
    partnerId: text('partner_id').notNull(),
    journeyId: text('journey_id').notNull(),
    status: text('status', {
      enum: [
        'held',
        'queued',
        'claimed',
        'delivering',
        'delivered',
        'bounced',
        'failed',
        'cancelled',
        'skipped',
      ],
    }).notNull(),
    dueAt: ts('due_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: ts('lease_until'),
    claimToken: text('claim_token'),
    /** Stable per (send, contact, step): the same Message-ID on every attempt. */
    messageId: text('message_id').notNull(),
    /** Link targets of the rendered message, by index; click tokens resolve only to these. */
    links: jsonb('links').$type<string[]>().notNull().default([]),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_message_idx').on(t.sendId, t.contactId, t.stepId),
    uniqueIndex('outbox_message_id_idx').on(t.messageId),
    index('outbox_status_due_idx').on(t.status, t.dueAt),
    index('outbox_contact_idx').on(t.contactId, t.status),
  ],
);

/** Brand-wide addresses that must never be mailed again (unsubscribes, hard bounces, complaints). */
export const suppressions = pgTable(
  'suppressions',
  {
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    /** Lower-cased address. */
    email: text('email').notNull(),
    reason: text('reason', { enum: ['unsubscribe', 'bounce', 'complaint', 'manual'] }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.email] })],
);

/**
 * Engagement roll-up: event counts per UTC hour, maintained by a trigger on `events` in the inserting
 * transaction (see migration `engagement_rollups`). One row per (scope level, hour, type, machine); a
 * dimension that is rolled up holds `''`:
 *
 * | level           | partner_id | journey_id | send_id |
 * |-----------------|------------|------------|---------|
 * | brand (network) | `''`       | `''`       | `''`    |
 * | partner         | id         | `''`       | `''`    |
 * | journey         | `''`       | id         | `''`    |
 * | partner+journey | id         | id         | `''`    |
 * | send            | id         | id         | id      |
 *
 * `n` counts events; `u` counts recipients (`(send, contact)` pairs) whose first event of this type and
 * machine flag falls in the hour, so unique counts add up across hours without double counting.
 */
export const engagementRollups = pgTable(
  'engagement_rollups',
  {
    brandId: text('brand_id').notNull(),
    partnerId: text('partner_id').notNull(),
    journeyId: text('journey_id').notNull(),
    sendId: text('send_id').notNull(),
    hour: ts('hour').notNull(),
    type: text('type').notNull(),
    machine: boolean('machine').notNull(),
    n: integer('n').notNull().default(0),
    u: integer('u').notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: 'engagement_rollups_pk',
      columns: [t.brandId, t.partnerId, t.journeyId, t.sendId, t.hour, t.type, t.machine],
    }),
  ],
);

/**
 * Per-recipient engagement state (one row per `(send, contact)`), maintained by the same trigger: the
 * first time of each kind of event (which decides where a unique count lands) and per-kind counters.
 */
export const engagementRecipients = pgTable(
  'engagement_recipients',
  {
    sendId: text('send_id').notNull(),
    contactId: text('contact_id').notNull(),
    brandId: text('brand_id').notNull(),
    partnerId: text('partner_id').notNull(),
    journeyId: text('journey_id').notNull(),
    firstSentAt: ts('first_sent_at'),
    firstDeliveredAt: ts('first_delivered_at'),
    firstOpenAt: ts('first_open_at'),
    firstMachineOpenAt: ts('first_machine_open_at'),
    firstClickAt: ts('first_click_at'),
    firstMachineClickAt: ts('first_machine_click_at'),
    firstBounceAt: ts('first_bounce_at'),
    firstComplaintAt: ts('first_complaint_at'),
    firstUnsubscribeAt: ts('first_unsubscribe_at'),
    lastEventAt: ts('last_event_at'),
    opens: integer('opens').notNull().default(0),
    machineOpens: integer('machine_opens').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    machineClicks: integer('machine_clicks').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'engagement_recipients_pk', columns: [t.sendId, t.contactId] })],
);

/** What an approver reviews: the journey content in scope and the partner's edits, frozen per version. */
export interface ApprovalContent {
  name: string;
  kind: 'quick' | 'journey';
  stepId: string | null;
  steps: Step[];
  mergeFields: MergeField[];
  personalization: Personalization;
  overrides: Record<string, Personalization>;
}

/**
 * One approval per held send (see migration `approvals`): opened by a trigger when a send is inserted
 * as `pending_approval`, decided by a conditional update on `version` (optimistic concurrency: exactly
 * one decision wins), reopened with a new version when the send's content changes.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    sendId: text('send_id')
      .notNull()
      .references(() => sends.id),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    journeyId: text('journey_id').notNull(),
    submittedBy: text('submitted_by')
      .notNull()
      .references(() => users.id),
    /** `withdrawn`: the sender cancelled the send while it waited (trigger `sends_withdraw_approval`). */
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'withdrawn'] }).notNull(),
    version: integer('version').notNull().default(0),
    approverKind: text('approver_kind', { enum: ['partner_manager', 'brand_compliance'] }).notNull(),
    submittedAt: ts('submitted_at').notNull(),
    decidedAt: ts('decided_at'),
    decidedBy: text('decided_by').references(() => users.id),
    reason: text('reason'),
    /** The content under review (this version) and its SHA-256. */
    content: jsonb('content').$type<ApprovalContent>().notNull(),
    contentHash: text('content_hash').notNull(),
    /** Lower-cased journey name, partner name, submitter name and email, for search. */
    searchText: text('search_text').notNull().default(''),
  },
  (t) => [
    uniqueIndex('approvals_send_idx').on(t.sendId),
    index('approvals_brand_status_idx').on(t.brandId, t.status, t.submittedAt, t.id),
    index('approvals_partner_status_idx').on(t.partnerId, t.status, t.submittedAt, t.id),
    index('approvals_submitter_idx').on(t.submittedBy, t.submittedAt, t.id),
  ],
);

/**
 * The approval archive: one row per submission and decision, with the exact content and its hash.
 * Append-only: a trigger rejects UPDATE, DELETE and TRUNCATE.
 */
export const approvalAudit = pgTable(
  'approval_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    approvalId: text('approval_id')
      .notNull()
      .references(() => approvals.id),
    sendId: text('send_id').notNull(),
    brandId: text('brand_id').notNull(),
    /** The approval version this row produced. */
    version: integer('version').notNull(),
    action: text('action', { enum: ['submitted', 'resubmitted', 'approved', 'rejected'] }).notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    reason: text('reason'),
    contentHash: text('content_hash').notNull(),
    content: jsonb('content').$type<ApprovalContent>().notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('approval_audit_approval_idx').on(t.approvalId, t.id)],
);

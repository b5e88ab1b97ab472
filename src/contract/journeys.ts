import { z } from 'zod';
import { Cursor, Id, Limit, Locale, Timestamp, page } from './common.js';
import { Tier } from './identity.js';

export const Category = z
  .enum(['onboarding', 'thank_you', 'follow_up', 'reminder', 'offer', 'promotion', 'event', 'newsletter'])
  .meta({ id: 'Category' });
export type Category = z.infer<typeof Category>;

export const Channel = z.enum(['email']).meta({ id: 'Channel' });
export type Channel = z.infer<typeof Channel>;

export const JourneyKind = z.enum(['journey', 'template']).meta({ id: 'JourneyKind' });
export type JourneyKind = z.infer<typeof JourneyKind>;

export const JourneySort = z
  .enum(['newest', 'most_used', 'best_results', 'name'])
  .meta({ id: 'JourneySort' });
export type JourneySort = z.infer<typeof JourneySort>;

/** Rules an editable block's partner content must satisfy. */
export const BlockRules = z
  .object({
    required: z.boolean().default(false),
    maxLength: z.number().int().positive().optional(),
    /** `plain`: text only; `basic`: bold, italic, links, lists. */
    format: z.enum(['plain', 'basic']).default('plain'),
    restrictedWords: z.array(z.string()).default([]),
    /** Regular expressions (JavaScript syntax) that must not match. */
    restrictedPatterns: z.array(z.string()).default([]),
    allowedImageDomains: z.array(z.string()).default([]),
    allowedLinkSchemes: z.array(z.enum(['https', 'mailto', 'tel'])).default(['https', 'mailto']),
  })
  .meta({ id: 'BlockRules' });
export type BlockRules = z.infer<typeof BlockRules>;

export const BlockKind = z
  .enum(['header', 'text', 'image', 'button', 'footer', 'legal'])
  .meta({ id: 'BlockKind' });

export const Block = z
  .object({
    id: Id,
    kind: BlockKind,
    label: z.string(),
    locked: z.boolean(),
    /** Brand content (Liquid template; HTML sanitized by the server when stored). */
    content: z.string(),
    rules: BlockRules.optional(),
  })
  .meta({ id: 'Block' });
export type Block = z.infer<typeof Block>;

export const Step = z
  .object({
    id: Id,
    name: z.string(),
    /** Days after enrolment (0 = immediately). */
    delayDays: z.number().int().min(0).max(365),
    subject: z.string(),
    preheader: z.string().default(''),
    blocks: z.array(Block),
  })
  .meta({ id: 'Step' });
export type Step = z.infer<typeof Step>;

export const MergeField = z
  .object({
    /** e.g. `contact.first_name`, `partner.name`, `sender.signature`. */
    key: z.string(),
    label: z.string(),
    /** Brand default used when the data is missing. */
    fallback: z.string(),
  })
  .meta({ id: 'MergeField' });
export type MergeField = z.infer<typeof MergeField>;

export const ApprovalRule = z
  .object({
    mode: z.enum(['never', 'always', 'over_recipients', 'edited', 'warnings']),
    /** For `over_recipients`: approval when a send has more recipients than this. */
    threshold: z.number().int().positive().optional(),
    approver: z.enum(['partner_manager', 'brand_compliance']).default('partner_manager'),
  })
  .meta({ id: 'ApprovalRule' });
export type ApprovalRule = z.infer<typeof ApprovalRule>;

/** Network performance; rates are `null` when fewer than 5 partners or recipients contribute. */
export const JourneyStats = z
  .object({
    sends: z.number().int().nonnegative(),
    recipients: z.number().int().nonnegative(),
    partners: z.number().int().nonnegative(),
    openRate: z.number().min(0).max(1).nullable(),
    clickRate: z.number().min(0).max(1).nullable(),
  })
  .meta({ id: 'JourneyStats' });
export type JourneyStats = z.infer<typeof JourneyStats>;

export const JourneySummary = z
  .object({
    id: Id,
    kind: JourneyKind,
    name: z.string(),
    summary: z.string(),
    category: Category,
    channel: Channel,
    locale: Locale,
    tags: z.array(z.string()),
    stepCount: z.number().int().positive(),
    approvalRequired: z.boolean(),
    thumbnailUrl: z.string().nullable(),
    createdAt: Timestamp,
    stats: JourneyStats,
  })
  .meta({ id: 'JourneySummary' });
export type JourneySummary = z.infer<typeof JourneySummary>;

export const Journey = JourneySummary.extend({
  steps: z.array(Step),
  mergeFields: z.array(MergeField),
  approvalRule: ApprovalRule,
  audience: z.object({ tiers: z.array(Tier), regions: z.array(z.string()) }),
}).meta({ id: 'Journey' });
export type Journey = z.infer<typeof Journey>;

export const JourneyQuery = z
  .strictObject({
    q: z.string().trim().max(200).optional(),
    category: Category.optional(),
    locale: Locale.optional(),
    channel: Channel.optional(),
    kind: JourneyKind.optional(),
    sort: JourneySort.default('newest'),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'JourneyQuery' });
export type JourneyQuery = z.input<typeof JourneyQuery>;

export const JourneyPage = page(JourneySummary, 'JourneyPage');
export type JourneyPage = z.infer<typeof JourneyPage>;

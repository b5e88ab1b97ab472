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

/**
 * Showroom order. `relevance` ranks journeys whose name contains every search word first, then those
 * whose name or tags do, then the rest (summary matches), newest first within a rank; without `q` it
 * is the same as `newest`.
 */
export const JourneySort = z
  .enum(['newest', 'most_used', 'best_results', 'name', 'relevance'])
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
  /**
   * The calling partner's own results with this journey (`partners` is 1 when it has sent it); rates are
   * `null` below 5 recipients. `null` for brand-level callers; absent from servers that do not compute it.
   */
  partnerStats: JourneyStats.nullable().optional(),
}).meta({ id: 'Journey' });
export type Journey = z.infer<typeof Journey>;

/** One tag: 1–50 characters, no commas. */
export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^,]+$/, 'must not contain a comma');

/**
 * Tags a journey must all have. Repeat the key (`?tags=a&tags=b`, as the SDK sends arrays) or separate
 * tags with commas (`?tags=a,b`); at most 10.
 */
export const TagFilter = z
  .union([z.string(), z.array(z.string())])
  .describe('Tags a journey must all have: repeat the parameter or separate tags with commas (at most 10).')
  .transform((value) =>
    [
      ...new Set((Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((t) => t.trim())),
    ].filter(Boolean),
  )
  .pipe(z.array(Tag).max(10));

/** The filters shared by the showroom listing and its facet counts. */
const journeyFilters = {
  q: z.string().trim().max(200).optional(),
  category: Category.optional(),
  locale: Locale.optional(),
  channel: Channel.optional(),
  kind: JourneyKind.optional(),
  tags: TagFilter.optional(),
};

export const JourneyQuery = z
  .strictObject({
    ...journeyFilters,
    sort: JourneySort.default('newest'),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'JourneyQuery' });
export type JourneyQuery = z.input<typeof JourneyQuery>;

/** `GET /v1/journeys/facets`: the same filters as the listing (no sort or paging). */
export const JourneyFacetsQuery = z.strictObject(journeyFilters).meta({ id: 'JourneyFacetsQuery' });
export type JourneyFacetsQuery = z.input<typeof JourneyFacetsQuery>;

export const FacetCount = z
  .object({ value: z.string(), count: z.number().int().nonnegative() })
  .meta({ id: 'FacetCount' });
export type FacetCount = z.infer<typeof FacetCount>;

/**
 * How many visible journeys each filter value would give. Every facet is counted with all the other
 * filters applied but not its own, so the counts say what choosing another value of that filter
 * yields; `tags` (which narrow: every chosen tag must match) is counted with every filter applied, and
 * lists the 30 most frequent tags plus any chosen ones. Values with no journeys are left out; order is
 * by count, then value.
 */
export const JourneyFacets = z
  .object({
    /** Journeys matching every filter (the listing's `total`). */
    total: z.number().int().nonnegative(),
    category: z.array(FacetCount),
    locale: z.array(FacetCount),
    channel: z.array(FacetCount),
    kind: z.array(FacetCount),
    tags: z.array(FacetCount),
  })
  .meta({ id: 'JourneyFacets' });
export type JourneyFacets = z.infer<typeof JourneyFacets>;

export const JourneyPreviewQuery = z
  .strictObject({
    /** The step to render; the first step when absent. */
    stepId: Id.optional(),
  })
  .meta({ id: 'JourneyPreviewQuery' });
export type JourneyPreviewQuery = z.input<typeof JourneyPreviewQuery>;

/**
 * One step rendered for a built-in sample contact, with the brand's content (no partner edits): what
 * the showroom shows before a partner picks the journey. Links keep their targets; no tracking.
 */
export const JourneyStepPreview = z
  .object({
    journeyId: Id,
    stepId: Id,
    subject: z.string(),
    preheader: z.string(),
    /** A complete HTML document; show it in an `<iframe sandbox srcdoc>`, never inline. */
    html: z.string(),
    text: z.string(),
    /** Who the sample is addressed to (not a real contact). */
    sampleContact: z.object({ name: z.string(), email: z.string() }),
  })
  .meta({ id: 'JourneyStepPreview' });
export type JourneyStepPreview = z.infer<typeof JourneyStepPreview>;

export const JourneyPage = page(JourneySummary, 'JourneyPage');
export type JourneyPage = z.infer<typeof JourneyPage>;

/**
 * One renderer for previews and real sends: `renderMessage()` turns a step, the partner's
 * personalization and one contact into subject, HTML and text, exactly as the worker mails them.
 *
 * Safety, in layers:
 * - LiquidJS sandboxed: no file system (`templates: {}`, no include/render/layout), `strictFilters`,
 *   `ownPropertyOnly`, render time and memory limits; CSP-safe (no eval).
 * - Every `{{ output }}` is HTML-escaped (`outputEscape: 'escape'`, and `raw` is re-registered as a
 *   plain filter so it cannot switch escaping off): contact, partner and fallback data is always text.
 * - Brand block HTML passes `sanitizeBrandHtml` when the step is compiled (and when a journey is stored).
 * - Partner content never becomes markup: `renderPartnerContent` escapes it and emits only our tags.
 * - After rendering, every `href`/`src` is checked again (allowed schemes only); `http(s)` links are
 *   rewritten through signed `/t/c/{token}` URLs and the targets returned in `links` (stored with the
 *   message; the click handler redirects only to those).
 */
import { Liquid, type Template } from 'liquidjs';
import type { Locale, MergeField, Personalization, PreviewIssue, Step } from '../../src/contract/index.js';
import { checkPersonalization, imageAllowed, linkAllowed, rulesOf } from './rules.js';
import {
  decodeEntities,
  escapeHtml,
  htmlToText,
  renderPartnerContent,
  sanitizeBrandHtml,
} from './sanitize.js';
import { signToken } from './tracking.js';

function sandboxed(escape: boolean): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    ownPropertyOnly: true,
    templates: {},
    relativeReference: false,
    outputEscape: escape ? 'escape' : undefined,
    parseLimit: 1_000_000,
    renderLimit: 250,
    memoryLimit: 20_000_000,
  });
  const tags = liquid.tags as Record<string, unknown>;
  for (const tag of ['include', 'render', 'layout', 'block']) delete tags[tag];
  // `| raw` would bypass output escaping; make it an ordinary (escaped) filter.
  if (escape) liquid.registerFilter('raw', (v: unknown) => v);
  return liquid;
}

const htmlLiquid = sandboxed(true);
const textLiquid = sandboxed(false);

/**
 * A parsed template. Most message templates are text with plain `{{ a.b }}` outputs and nothing else;
 * for those `plain` holds the text pieces and the property paths between them, joined with the
 * values directly: the same output as LiquidJS (escaped with its `escape` map) without its
 * per-output machinery. Anything else — tags, filters, whitespace control, a value that is not a
 * string — renders through LiquidJS.
 */
export interface CompiledTemplate {
  liquid: Template[];
  plain: { text: string[]; paths: string[][] } | null;
  escape: boolean;
}

const PLAIN_OUTPUT = /\{\{\s*([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\s*\}\}/g;
const LIQUID_MARK = /\{\{|\{%/;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const liquidEscape = (value: string) =>
  /[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : value;

export function compileTemplate(source: string, escape: boolean): CompiledTemplate {
  const pieces = source.split(PLAIN_OUTPUT);
  const text = pieces.filter((_, i) => i % 2 === 0);
  const paths = pieces.filter((_, i) => i % 2 === 1).map((path) => path.split('.'));
  const plain = text.some((t) => LIQUID_MARK.test(t)) ? null : { text, paths };
  return { liquid: (escape ? htmlLiquid : textLiquid).parse(source), plain, escape };
}

/**
 * The string at `path` in `scope` (own properties only); `''` when absent; `null` — render with
 * LiquidJS — when the value is not a string or a step goes into one (`name.size`).
 */
function lookup(scope: Record<string, unknown>, path: string[]): string | null {
  let value: unknown = scope;
  for (const name of path) {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'object') return null;
    if (!Object.hasOwn(value, name)) return '';
    value = (value as Record<string, unknown>)[name];
  }
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : null;
}

export function renderTemplate(template: CompiledTemplate, scope: Record<string, unknown>): string {
  const plain = template.plain;
  if (plain) {
    let out = plain.text[0]!;
    for (let i = 0; i < plain.paths.length; i++) {
      const value = lookup(scope, plain.paths[i]!);
      if (value === null) return renderLiquid(template, scope);
      out += (template.escape ? liquidEscape(value) : value) + plain.text[i + 1]!;
    }
    return out;
  }
  return renderLiquid(template, scope);
}

export const renderLiquid = (template: CompiledTemplate, scope: Record<string, unknown>) =>
  (template.escape ? htmlLiquid : textLiquid).renderSync(template.liquid, scope) as string;

export interface RenderBrand {
  id: string;
  name: string;
  domain: string;
  postalAddress: string;
}
export interface RenderPartner {
  id: string;
  name: string;
  replyTo: string;
  postalAddress: string;
  signature: string;
}
export interface RenderContact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
}

/** A real message: links and pixel are signed for this outbox row. */
export interface MessageTracking {
  rowId: string;
  secret: string;
}

export interface RenderInput {
  step: Step;
  mergeFields: MergeField[];
  /** Effective personalization for this recipient (send-level merged with its overrides). */
  personalization: Personalization;
  locale: Locale;
  brand: RenderBrand;
  partner: RenderPartner;
  /** The partner user who sends (for `sender.name`). */
  senderName?: string;
  contact: RenderContact;
  publicUrl: string;
  /** `null` renders a preview: links keep their targets, no pixel, a placeholder unsubscribe URL. */
  tracking: MessageTracking | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  from: { name: string; address: string };
  replyTo: string;
  /** `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers: Record<string, string>;
  /** Tracked link targets by index (what `/t/c/{token}` may redirect to). */
  links: string[];
  /** Missing merge data (warnings), rule violations and footer problems. */
  issues: PreviewIssue[];
}

/** A step compiled for one personalization: parsed templates, referenced merge keys, rule issues. */
export interface CompiledStep {
  subject: CompiledTemplate;
  preheader: CompiledTemplate;
  body: CompiledTemplate;
  /** Merge keys the templates read, e.g. `contact.first_name`. */
  keys: string[];
  /** Rule issues of the personalization for this step's blocks. */
  issues: PreviewIssue[];
}

const FOOTER: Record<Locale, { via: string; unsubscribe: string; why: string }> = {
  en: {
    via: 'via',
    unsubscribe: 'Unsubscribe',
    why: 'You receive this email because you are a customer of {{ partner.name }}.',
  },
  'zh-CN': { via: '经由', unsubscribe: '退订', why: '您收到此邮件，是因为您是 {{ partner.name }} 的客户。' },
};

function footerTemplate(locale: Locale): string {
  const t = FOOTER[locale];
  return (
    '<div class="dm-footer" style="margin-top:24px;padding-top:12px;border-top:1px solid #ddd;font-size:12px;color:#555">' +
    `<p>${t.why}</p>` +
    '<p>{{ partner.name }} · {{ partner.postal_address }}</p>' +
    '<p>{{ brand.name }} · {{ brand.postal_address }}</p>' +
    `<p><a href="{{ unsubscribe_url }}">${t.unsubscribe}</a></p>` +
    '</div>'
  );
}

const MERGE_KEY = /\b(?:contact|partner|sender|brand)\.[a-z_]+\b/g;

function referencedKeys(sources: string[]): string[] {
  const keys = new Set<string>();
  for (const source of sources) {
    for (const segment of source.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? []) {
      for (const key of segment.match(MERGE_KEY) ?? []) keys.add(key);
    }
  }
  return [...keys].sort();
}

const compiledSteps = new WeakMap<Step, Map<string, CompiledStep>>();
const MAX_VARIANTS = 1000;

/** The personalization entries that concern this step, as a stable cache key. */
function variantKey(step: Step, personalization: Personalization, locale: Locale): string {
  let key = locale;
  for (const b of step.blocks) {
    const v = personalization[b.id];
    if (v !== undefined && !b.locked) key += `\u0000${b.id}\u0001${v}`;
  }
  return key;
}

/** Compiles (and caches per step object and personalization) a step's templates. */
export function compileStep(step: Step, personalization: Personalization, locale: Locale): CompiledStep {
  let variants = compiledSteps.get(step);
  if (!variants) {
    variants = new Map();
    compiledSteps.set(step, variants);
  }
  const key = variantKey(step, personalization, locale);
  const hit = variants.get(key);
  if (hit) return hit;

  const blocks = step.blocks.map((block) => {
    const value = block.locked ? undefined : personalization[block.id];
    let inner: string;
    if (value === undefined) {
      inner = sanitizeBrandHtml(block.content);
    } else {
      const rules = rulesOf(block);
      inner = renderPartnerContent(value, {
        format: rules.format,
        image: block.kind === 'image',
        linkAllowed: linkAllowed(rules),
        imageAllowed: imageAllowed(rules),
        alt: block.label,
      }).html;
    }
    return `<div class="dm-block dm-${block.kind}" data-block="${escapeHtml(block.id)}">${inner}</div>`;
  });
  const body =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>{{ subject }}</title></head>' +
    '<body style="margin:0;padding:0;background:#ffffff">' +
    '<div class="dm-preheader" style="display:none;max-height:0;overflow:hidden">{{ preheader }}</div>' +
    '<div class="dm-message" style="max-width:640px;margin:0 auto;padding:16px;font-family:Arial,Helvetica,sans-serif;line-height:1.5">' +
    blocks.join('') +
    footerTemplate(locale) +
    '</div></body></html>';
  const own: Personalization = {};
  for (const b of step.blocks) if (personalization[b.id] !== undefined) own[b.id] = personalization[b.id]!;
  const compiled: CompiledStep = {
    subject: compileTemplate(step.subject, false),
    preheader: compileTemplate(step.preheader ?? '', false),
    body: compileTemplate(body, true),
    keys: referencedKeys([step.subject, step.preheader ?? '', body]),
    issues: checkPersonalization([step], own),
  };
  if (variants.size >= MAX_VARIANTS) variants.clear();
  variants.set(key, compiled);
  return compiled;
}

const fallbackMaps = new WeakMap<MergeField[], Map<string, string>>();
const fallbacksOf = (fields: MergeField[]) => {
  let map = fallbackMaps.get(fields);
  if (!map) {
    map = new Map(fields.map((f) => [f.key, f.fallback]));
    fallbackMaps.set(fields, map);
  }
  return map;
};

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/** Template data for one recipient, with brand fallbacks applied; `missing` lists keys that fell back. */
export function mergeData(
  input: Pick<RenderInput, 'contact' | 'partner' | 'brand' | 'senderName' | 'mergeFields'>,
  keys: string[],
) {
  const { contact, partner, brand } = input;
  const fullName = [contact.firstName, contact.lastName].filter((v) => !blank(v)).join(' ');
  const data: Record<string, Record<string, string>> = {
    contact: {
      first_name: contact.firstName ?? '',
      last_name: contact.lastName ?? '',
      full_name: fullName,
      email: contact.email,
      company: contact.company ?? '',
    },
    partner: {
      name: partner.name,
      signature: partner.signature,
      reply_to: partner.replyTo,
      postal_address: partner.postalAddress,
    },
    sender: { name: input.senderName ?? partner.name, signature: partner.signature },
    brand: { name: brand.name, postal_address: brand.postalAddress, domain: brand.domain },
  };
  const missing: { key: string; fallback: string }[] = [];
  for (const key of keys) {
    const [root, field] = key.split('.') as [string, string];
    const group = data[root];
    if (!group || !blank(group[field])) continue;
    const fallback = fallbacksOf(input.mergeFields).get(key) ?? '';
    group[field] = fallback;
    missing.push({ key, fallback });
  }
  return { data, missing };
}

/** Warnings for merge data that is missing for this recipient (and the fallback used). */
export const missingIssues = (missing: { key: string; fallback: string }[]): PreviewIssue[] =>
  missing.map(({ key, fallback }) => ({
    code: 'missing_merge_data',
    severity: 'warning',
    field: key,
    message: fallback
      ? `${key} is missing; the brand default "${fallback}" is used`
      : `${key} is missing and has no default`,
  }));

/** Blocking when neither the partner nor the brand has a postal address for the footer. */
export const footerIssues = (brand: RenderBrand, partner: RenderPartner): PreviewIssue[] =>
  blank(partner.postalAddress) && blank(brand.postalAddress)
    ? [
        {
          code: 'missing_footer',
          severity: 'blocking',
          message: 'no postal address for the footer: add one to the partner or brand profile',
        },
      ]
    : [];

/** The sender identity: partner display name on the brand's domain. */
export const fromAddress = (brand: RenderBrand, partner: RenderPartner, locale: Locale = 'en') => ({
  name: `${partner.name} ${FOOTER[locale].via} ${brand.name}`,
  address: `partners@${brand.domain}`,
});

/** A link's `href` (groups 1–2) or an image's `src` (groups 3–4), in one pass. */
const URL_ATTRIBUTE = /(<a\b[^>]*?\shref=")([^"]*)"|(<img\b[^>]*?)\ssrc="([^"]*)"/g;
const SAFE_LINK = /^(?:https?:\/\/|mailto:|tel:|#)/i;

/**
 * Renders one message. Previews (`tracking: null`) and the worker call this same function; only the
 * link and pixel URLs differ.
 */
export function renderMessageSync(input: RenderInput, compiled?: CompiledStep): RenderedMessage {
  const step = compiled ?? compileStep(input.step, input.personalization, input.locale);
  const { data, missing } = mergeData(input, step.keys);
  const base = input.publicUrl.replace(/\/$/, '');
  const tracking = input.tracking;
  const unsubToken = tracking ? signToken(tracking.secret, 'unsubscribe', tracking.rowId) : 'preview';
  const openToken = tracking ? signToken(tracking.secret, 'open', tracking.rowId) : null;
  const unsubscribeUrl = `${base}/u/${unsubToken}`;

  const scope = data as Record<string, unknown>;
  const subject = renderTemplate(step.subject, scope)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  scope.subject = subject;
  scope.preheader = renderTemplate(step.preheader, scope).trim();
  scope.unsubscribe_url = unsubscribeUrl;
  let html = renderTemplate(step.body, scope);

  // Second line of defence on the final output: only allowed schemes survive; http(s) links are tracked.
  const links: string[] = [];
  const unsubscribePrefix = `${base}/u/`;
  html = html.replace(
    URL_ATTRIBUTE,
    (m, linkStart: string | undefined, href: string, imgStart: string, src: string) => {
      if (linkStart === undefined) return /^https?:\/\//i.test(decodeEntities(src).trim()) ? m : imgStart;
      const url = decodeEntities(href).trim();
      if (!SAFE_LINK.test(url)) return `${linkStart}#"`;
      if (!tracking || !/^https?:/i.test(url) || url.startsWith(unsubscribePrefix)) return m;
      const token = signToken(tracking.secret, 'click', tracking.rowId, links.push(url) - 1);
      return `${linkStart}${base}/t/c/${token}"`;
    },
  );
  if (openToken) {
    html = html.replace(
      '</body>',
      `<img src="${base}/t/o/${openToken}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px"></body>`,
    );
  }
  const mailto = `mailto:unsubscribe@${input.brand.domain}?subject=unsubscribe%20${unsubToken}`;
  return {
    subject,
    html,
    text: htmlToText(html),
    from: fromAddress(input.brand, input.partner, input.locale),
    replyTo: input.partner.replyTo,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    links,
    issues: [...step.issues, ...missingIssues(missing), ...footerIssues(input.brand, input.partner)],
  };
}

/** `renderMessageSync` behind a promise, the shape previews and the worker call. */
export async function renderMessage(input: RenderInput, compiled?: CompiledStep): Promise<RenderedMessage> {
  return renderMessageSync(input, compiled);
}

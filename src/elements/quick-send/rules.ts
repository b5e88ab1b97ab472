/**
 * Instant, client-side feedback on partner content: the same checks the server runs on every editable
 * block (`server/domain/rules.ts`), so a partner sees a problem while typing. The server stays the
 * truth — a preview or a send can still report issues these checks do not know about.
 */
import { BlockRules, type Block, type MergeField } from '../../contract/journeys.js';

/** Why a block's content would be rejected. Every finding blocks sending. */
export type RuleFinding =
  | { readonly code: 'required' }
  | { readonly code: 'max_length'; readonly over: number; readonly max: number }
  | { readonly code: 'restricted_word'; readonly word: string }
  | { readonly code: 'restricted_pattern'; readonly match: string }
  | { readonly code: 'link_scheme'; readonly scheme: string; readonly allowed: string }
  | { readonly code: 'invalid_link'; readonly link: string }
  | { readonly code: 'image_domain'; readonly domains: string }
  | { readonly code: 'image_not_allowed' };

const parsedRules = new WeakMap<Block, BlockRules>();

/** A block's rules with the contract's defaults applied (parsed once per block). */
export function rulesOf(block: Block): BlockRules {
  let rules = parsedRules.get(block);
  if (!rules) parsedRules.set(block, (rules = BlockRules.parse(block.rules ?? {})));
  return rules;
}

/** Characters as the server counts them: code points of the trimmed text. */
export function characterCount(value: string): number {
  return Array.from(value.trim()).length;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compiled = new WeakMap<BlockRules, { words: Array<[string, RegExp]>; patterns: RegExp[] }>();

function matchers(rules: BlockRules) {
  let m = compiled.get(rules);
  if (m) return m;
  const words = rules.restrictedWords
    .map((w) => w.trim())
    .filter((w) => w !== '')
    .map((w): [string, RegExp] => [
      w,
      // Scripts without spaces between words match anywhere; others on word boundaries.
      CJK.test(w)
        ? new RegExp(escapeRegExp(w), 'iu')
        : new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(w)}(?![\\p{L}\\p{N}_])`, 'iu'),
    ]);
  const patterns: RegExp[] = [];
  for (const p of rules.restrictedPatterns) {
    try {
      patterns.push(new RegExp(p, 'iu'));
    } catch {
      // The server ignores an invalid brand pattern too.
    }
  }
  m = { words, patterns };
  compiled.set(rules, m);
  return m;
}

const schemeOf = (url: string) => /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase() ?? null;

function linkAllowed(rules: BlockRules, url: string): boolean {
  const scheme = schemeOf(url);
  return (
    scheme !== null && (rules.allowedLinkSchemes as string[]).includes(scheme) && !/[\s<>"]/.test(url.trim())
  );
}

function imageAllowed(rules: BlockRules, url: string): boolean {
  let host: string;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'https:') return false;
    host = parsed.hostname.toLowerCase();
  } catch {
    return false;
  }
  return rules.allowedImageDomains.some((d) => {
    const domain = d.toLowerCase().replace(/^\*\./, '');
    return host === domain || host.endsWith('.' + domain);
  });
}

const IMAGE = /!\[([^\]\n]{0,200})\]\(([^)\s]{1,2000})\)/g;
const LINK = /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)/g;

/** Link targets and image sources a partner wrote in `basic` format (`[text](url)`, `![alt](url)`). */
export function markupTargets(value: string): { links: string[]; images: string[] } {
  const images: string[] = [];
  const links: string[] = [];
  const rest = value.replace(IMAGE, (_m, alt: string, url: string) => {
    images.push(url);
    return alt;
  });
  for (const m of rest.matchAll(LINK)) links.push(m[2]!);
  return { links, images };
}

/**
 * Checks partner content for one editable block. `value` undefined means the partner kept the brand
 * text (only an empty brand default can then be missing).
 */
export function checkBlock(block: Block, value: string | undefined): RuleFinding[] {
  if (block.locked) return [];
  const rules = rulesOf(block);
  const findings: RuleFinding[] = [];
  if (value === undefined || value.trim() === '') {
    if (rules.required && (value !== undefined || block.content.trim() === ''))
      findings.push({ code: 'required' });
    return findings;
  }
  const length = characterCount(value);
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    findings.push({ code: 'max_length', over: length - rules.maxLength, max: rules.maxLength });
  }
  const { words, patterns } = matchers(rules);
  for (const [word, re] of words) if (re.test(value)) findings.push({ code: 'restricted_word', word });
  for (const re of patterns) {
    const hit = re.exec(value);
    if (hit) findings.push({ code: 'restricted_pattern', match: hit[0].slice(0, 60) });
  }
  if (block.kind === 'image' || rules.format === 'basic') {
    const { links, images } =
      block.kind === 'image'
        ? { links: [], images: [value.trim()] }
        : markupTargets(value.replace(/\r\n?/g, '\n'));
    for (const link of links) {
      if (linkAllowed(rules, link)) continue;
      const scheme = schemeOf(link);
      findings.push(
        scheme
          ? { code: 'link_scheme', scheme, allowed: rules.allowedLinkSchemes.join(', ') }
          : { code: 'invalid_link', link: link.slice(0, 60) },
      );
    }
    for (const src of images) {
      if (imageAllowed(rules, src)) continue;
      findings.push(
        rules.allowedImageDomains.length
          ? { code: 'image_domain', domains: rules.allowedImageDomains.join(', ') }
          : { code: 'image_not_allowed' },
      );
    }
  }
  return findings;
}

/** Merge tags partners may write (the server turns every other brace into text). */
const PARTNER_MERGE_KEY = /^(?:contact|partner|sender|brand)\.[a-z_]{1,40}$/;

/** The journey's merge fields a partner can insert into their own text. */
export function insertableMergeFields(fields: readonly MergeField[]): MergeField[] {
  return fields.filter((f) => PARTNER_MERGE_KEY.test(f.key));
}

/** Decodes HTML entities without running or loading anything (an inert parsed document). */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  const doc = new DOMParser().parseFromString(
    `<!doctype html><body>${text.replace(/</g, '&lt;')}`,
    'text/html',
  );
  return doc.body.textContent ?? '';
}

/**
 * The brand's content of an editable block as partner text, the starting value of its editor: an
 * image block's URL; for text, paragraphs as blank lines and — in `basic` format — links, bold, italic
 * and lists in the partner's markup. Merge tags stay as written.
 */
export function brandText(block: Block): string {
  const html = block.content;
  if (block.kind === 'image') {
    return decodeEntities(/<img\b[^>]*?\ssrc\s*=\s*"([^"]*)"/i.exec(html)?.[1] ?? html.trim());
  }
  const basic = rulesOf(block).format === 'basic';
  let text = html.replace(/\r\n?/g, '\n').replace(/\n/g, ' ');
  if (basic) {
    text = text
      .replace(
        /<a\b[^>]*?\shref\s*=\s*"([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
        (_m, href: string, inner: string) =>
          inner.trim() ? `[${inner.replace(/<[^>]*>/g, '').trim()}](${href})` : '',
      )
      .replace(/<\/?(?:strong|b)\b[^>]*>/gi, '**')
      .replace(/<\/?(?:em|i)\b[^>]*>/gi, '*')
      .replace(/<li\b[^>]*>/gi, '\n- ');
  } else {
    text = text.replace(/<li\b[^>]*>/gi, '\n');
  }
  text = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|div|h[1-6]|ul|ol|blockquote|table)>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text of locked brand HTML, for showing it read-only in place. */
export function lockedText(block: Block): string {
  if (block.kind === 'image') return /<img\b[^>]*?\salt\s*=\s*"([^"]*)"/i.exec(block.content)?.[1] ?? '';
  return brandText({ ...block, kind: 'text', rules: { format: 'plain' } as BlockRules });
}

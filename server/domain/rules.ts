import type { Block, BlockRules, Personalization, PreviewIssue, Step } from '../../src/contract/index.js';
import { BlockRules as BlockRulesSchema } from '../../src/contract/index.js';
import { renderPartnerContent } from './sanitize.js';

/** The rules of an editable block with defaults applied. */
export function rulesOf(block: Block): BlockRules {
  return BlockRulesSchema.parse(block.rules ?? {});
}

const compiled = new WeakMap<BlockRules, { words: RegExp[]; patterns: RegExp[] }>();

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matchers(rules: BlockRules) {
  let m = compiled.get(rules);
  if (m) return m;
  const words = rules.restrictedWords
    .filter((w) => w.trim() !== '')
    .map((w) =>
      // Scripts without spaces between words match anywhere; others on word boundaries.
      CJK.test(w)
        ? new RegExp(escapeRegExp(w.trim()), 'iu')
        : new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(w.trim())}(?![\\p{L}\\p{N}_])`, 'iu'),
    );
  const patterns: RegExp[] = [];
  for (const p of rules.restrictedPatterns) {
    try {
      patterns.push(new RegExp(p, 'iu'));
    } catch {
      // An invalid brand pattern is rejected when the journey is stored; ignore it here.
    }
  }
  m = { words, patterns };
  compiled.set(rules, m);
  return m;
}

const schemeOf = (url: string) => /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase() ?? null;

/** True when a link target uses one of the allowed schemes (`https`, `mailto`, `tel`). */
export const linkAllowed = (rules: BlockRules) => (url: string) => {
  const scheme = schemeOf(url);
  return (
    scheme !== null && (rules.allowedLinkSchemes as string[]).includes(scheme) && !/[\s<>"]/.test(url.trim())
  );
};

/** True when an image is `https:` on an allowed domain (or a subdomain of one). */
export const imageAllowed = (rules: BlockRules) => (url: string) => {
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
};

const violation = (field: string, message: string): PreviewIssue => ({
  code: 'rule_violation',
  severity: 'blocking',
  message,
  field,
});

/**
 * Checks partner content for one editable block against its rules. `value` undefined means the
 * partner left the brand default in place. Issues name the block id as `field`.
 */
export function checkBlockContent(block: Block, value: string | undefined): PreviewIssue[] {
  const rules = rulesOf(block);
  const issues: PreviewIssue[] = [];
  const field = block.id;
  if (value === undefined || value.trim() === '') {
    if (rules.required && (value !== undefined || block.content.trim() === '')) {
      issues.push({ code: 'required', severity: 'blocking', message: `${block.label} is required`, field });
    }
    return issues;
  }
  const length = Array.from(value.trim()).length;
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    issues.push(
      violation(field, `${block.label} is ${length} characters; at most ${rules.maxLength} allowed`),
    );
  }
  const { words, patterns } = matchers(rules);
  for (const [i, re] of words.entries()) {
    if (re.test(value)) issues.push(violation(field, `"${rules.restrictedWords[i]!.trim()}" is not allowed`));
  }
  for (const re of patterns) {
    const hit = re.exec(value);
    if (hit) issues.push(violation(field, `"${hit[0].slice(0, 60)}" is not allowed here`));
  }
  if (block.kind === 'image' || rules.format === 'basic') {
    const parsed = renderPartnerContent(value, {
      format: rules.format,
      image: block.kind === 'image',
      linkAllowed: linkAllowed(rules),
      imageAllowed: imageAllowed(rules),
    });
    for (const link of parsed.links) {
      if (!linkAllowed(rules)(link)) {
        const scheme = schemeOf(link);
        issues.push(
          violation(
            field,
            scheme
              ? `links with "${scheme}:" are not allowed; use ${rules.allowedLinkSchemes.join(', ')}`
              : `"${link.slice(0, 60)}" is not a valid link`,
          ),
        );
      }
    }
    for (const src of parsed.images) {
      if (!imageAllowed(rules)(src)) {
        issues.push(
          violation(
            field,
            rules.allowedImageDomains.length
              ? `images must be https on ${rules.allowedImageDomains.join(', ')}`
              : 'images are not allowed in this block',
          ),
        );
      }
    }
  }
  return issues;
}

/** Personalization keys that name no block of the journey (`known` steps). */
export function unknownKeyIssues(personalization: Personalization, known: Step[]): PreviewIssue[] {
  const ids = new Set(known.flatMap((s) => s.blocks.map((b) => b.id)));
  return Object.keys(personalization)
    .filter((id) => !ids.has(id))
    .map((id) => violation(id, 'no editable block with this id in the selected steps'));
}

/**
 * Checks a personalization against the editable blocks of `steps`: unknown or locked block ids
 * (looked up in `known`, by default the same steps), required blocks left empty, and each block's
 * content rules.
 */
export function checkPersonalization(
  steps: Step[],
  personalization: Personalization,
  known: Step[] = steps,
): PreviewIssue[] {
  const blocks = new Map<string, Block>();
  for (const step of steps) for (const b of step.blocks) if (!blocks.has(b.id)) blocks.set(b.id, b);
  const all = new Map<string, Block>();
  for (const step of known) for (const b of step.blocks) if (!all.has(b.id)) all.set(b.id, b);
  const issues: PreviewIssue[] = [];
  for (const id of Object.keys(personalization)) {
    const block = all.get(id);
    if (!block) issues.push(violation(id, 'no editable block with this id in the selected steps'));
    else if (block.locked) issues.push(violation(id, `${block.label} is locked by the brand`));
  }
  for (const block of blocks.values()) {
    if (block.locked) continue;
    issues.push(...checkBlockContent(block, personalization[block.id]));
  }
  return issues;
}

/**
 * The word-level diff for redlines (brand original against partner edit): jsdiff's Myers O((N+M)·D)
 * shortest edit script (`diffArrays`) over our word, space and punctuation tokens, then a clean-up
 * that makes the redline read well. No Node APIs, so it also runs in the browser.
 *
 * - Tokens: runs of letters/digits (with inner `'` or `-`), runs of whitespace, and single other
 *   characters. CJK ideographs and kana are one token each, since those scripts do not separate words.
 * - Common prefix and suffix are stripped before the search; when the edit distance would exceed
 *   `maxEdits` the whole middle is reported as one deletion and one insertion (still a correct diff,
 *   just a coarse one), so a pathological input cannot cost quadratic time or memory.
 * - Output segments are merged (no two neighbours share an op), deletions before insertions, and a
 *   short equal run between two changes is folded into them (see `tidy`).
 */

import { diffArrays } from 'diff';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

export interface DiffOptions {
  /** Edit distance (in tokens) above which the middle is replaced wholesale. Default 2000. */
  maxEdits?: number;
  /** Fold short equal runs between changes into them (see `tidy`). Default true. */
  cleanup?: boolean;
}

const CJK = '\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff';
const TOKEN = new RegExp(`[${CJK}]|[\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_'’-]*[\\p{L}\\p{N}_])?|\\s+|[^]`, 'gu');

/** Splits text into diff tokens; joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Word-level diff of `before` → `after`. Joining the non-insert segments gives `before`, the non-delete ones `after`. */
export function diffWords(before: string, after: string, options: DiffOptions = {}): DiffSegment[] {
  return diffTokens(tokenize(before), tokenize(after), options);
}

/** Diff of two token lists (see {@link diffWords}). */
export function diffTokens(a: string[], b: string[], options: DiffOptions = {}): DiffSegment[] {
  const maxEdits = options.maxEdits ?? 2000;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffSegment[] = [];
  push(out, 'equal', a.slice(0, start).join(''));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (middle) for (const s of middle) push(out, s.op, s.text);
  else {
    push(out, 'delete', a.slice(start, endA).join(''));
    push(out, 'insert', b.slice(start, endB).join(''));
  }
  push(out, 'equal', a.slice(endA).join(''));
  return options.cleanup === false ? out : tidy(out);
}

function push(out: DiffSegment[], op: DiffOp, text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** jsdiff's Myers search over the tokens; `null` when the distance exceeds `maxEdits`. */
function myers(a: string[], b: string[], maxEdits: number): DiffSegment[] | null {
  const changes = diffArrays(a, b, { maxEditLength: maxEdits });
  if (!changes) return null;
  const out: DiffSegment[] = [];
  for (const c of changes) push(out, c.added ? 'insert' : c.removed ? 'delete' : 'equal', c.value.join(''));
  return out;
}

/**
 * Groups the changes between equal runs as "deletions, then insertions", then folds an equal run that
 * sits between two changes into them when it is no longer than the larger side of either change
 * (the semantic clean-up of diff-match-patch): "a quick brown" → "a slow red" reads as one replacement,
 * not as "quick→slow, brown→red" around a lone space.
 */
function tidy(segments: DiffSegment[]): DiffSegment[] {
  type Change = { del: string; ins: string };
  const parts: (string | Change)[] = [];
  for (const s of segments) {
    const last = parts[parts.length - 1];
    if (s.op === 'equal') parts.push(s.text);
    else {
      const change = typeof last === 'object' ? last : { del: '', ins: '' };
      if (change !== last) parts.push(change);
      if (s.op === 'delete') change.del += s.text;
      else change.ins += s.text;
    }
  }
  const size = (c: Change) => Math.max(c.del.length, c.ins.length);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < parts.length - 1; i++) {
      const before = parts[i - 1];
      const equal = parts[i];
      const after = parts[i + 1];
      if (typeof equal !== 'string' || typeof before !== 'object' || typeof after !== 'object') continue;
      if (equal.length > size(before) || equal.length > size(after)) continue;
      parts.splice(i - 1, 3, { del: before.del + equal + after.del, ins: before.ins + equal + after.ins });
      changed = true;
      break;
    }
  }
  const out: DiffSegment[] = [];
  for (const p of parts) {
    if (typeof p === 'string') push(out, 'equal', p);
    else {
      push(out, 'delete', p.del);
      push(out, 'insert', p.ins);
    }
  }
  return out;
}

/**
 * Pure helpers of `<dm-approval-queue>`: SLA levels, queue order, range selection. No DOM, no Lit.
 */
import type { Approval } from '../../contract/approvals.js';

export type SlaLevel = 'ok' | 'late' | 'overdue';

const HOUR = 3_600_000;

/** `late` past the SLA, `overdue` past twice the SLA (e.g. 24 h and 48 h). */
export function slaLevel(submittedAt: string, slaHours: number, now = Date.now()): SlaLevel {
  const age = now - Date.parse(submittedAt);
  const sla = Math.max(0, slaHours) * HOUR;
  if (sla > 0 && age > 2 * sla) return 'overdue';
  if (sla > 0 && age > sla) return 'late';
  return 'ok';
}

/** Hours since submission, rounded down. */
export const ageHours = (submittedAt: string, now = Date.now()): number =>
  Math.max(0, Math.floor((now - Date.parse(submittedAt)) / HOUR));

/** The order the server lists a view in: pending oldest first, otherwise newest first. */
export type QueueOrder = 'oldest' | 'newest';

/** Inserts `item` where the order puts it (ties after equal times); returns a new array. */
export function insertOrdered(items: readonly Approval[], item: Approval, order: QueueOrder): Approval[] {
  const at = Date.parse(item.submittedAt);
  let index = items.findIndex((other) => {
    const t = Date.parse(other.submittedAt);
    return order === 'oldest' ? t > at : t < at;
  });
  if (index < 0) index = items.length;
  return [...items.slice(0, index), item, ...items.slice(index)];
}

/** Ids from index `a` to index `b` (either order), inclusive. */
export function rangeIds(items: readonly Approval[], a: number, b: number): string[] {
  const [from, to] = a <= b ? [a, b] : [b, a];
  return items.slice(Math.max(0, from), Math.min(items.length, to + 1)).map((i) => i.id);
}

/**
 * Whether the caller may decide an item: the server says so (`canDecide`), or — from a server that does
 * not send `canDecide` — it is pending in a queue view.
 */
export const decidable = (item: Approval, view: 'queue' | 'mine'): boolean =>
  view === 'queue' &&
  item.status === 'pending' &&
  (item.canDecide ?? item.send.status === 'pending_approval');

/** True when keyboard shortcuts must not fire because the user is typing. */
export function isTyping(target: EventTarget | null | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(
      target.type,
    );
  }
  return false;
}

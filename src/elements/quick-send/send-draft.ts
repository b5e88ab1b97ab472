/**
 * The pieces of `<dm-quick-send>` that are about the send itself rather than the UI: who the recipients
 * are, one idempotency key per composed send, schedule times, and mapping server field errors back to
 * the part of the form they belong to.
 */
import type { Contact } from '../../contract/contacts.js';
import type { PreviewBatchItem, SendCreate } from '../../contract/sends.js';

/** Why a contact cannot receive email. */
export type Unavailable = 'unsubscribed' | 'bounced' | 'complained' | 'opted_out' | 'suppressed' | 'unknown';

/** What the element knows about a recipient (from a contact page or a batch preview). */
export interface Person {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly unavailable?: Unavailable;
}

export function displayName(person: Person | undefined, id: string): string {
  return person?.name || person?.email || id;
}

/** Why `contact` may not be mailed, or undefined when it may. */
export function unavailableReason(contact: Contact): Unavailable | undefined {
  if (contact.status !== 'active') return contact.status;
  if (contact.consent === 'opted_out') return 'opted_out';
  if (!contact.mailable) return 'suppressed';
  return undefined;
}

export function personFromContact(contact: Contact): Person {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null;
  const unavailable = unavailableReason(contact);
  return { id: contact.id, name, email: contact.email, ...(unavailable ? { unavailable } : {}) };
}

export function personFromBatch(item: PreviewBatchItem): Person {
  const codes = new Set(item.issues.map((i) => i.code));
  const unavailable: Unavailable | undefined = codes.has('unsubscribed')
    ? 'unsubscribed'
    : codes.has('suppressed')
      ? 'suppressed'
      : codes.has('no_consent')
        ? 'opted_out'
        : undefined;
  return { id: item.contactId, name: item.name, email: item.email, ...(unavailable ? { unavailable } : {}) };
}

/** A random UUID v4 (`crypto.randomUUID` where available; it is missing on plain-HTTP pages). */
export function randomUuid(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One `Idempotency-Key` per composed send: the same body gets the same key (a double click, a retry
 * after a network error, a repeated submit after success), any change to the content, recipients or
 * schedule gets a new one.
 */
export class IdempotencyKeys {
  #current: { signature: string; key: string } | undefined;

  keyFor(body: SendCreate): string {
    const signature = JSON.stringify(body);
    if (this.#current?.signature !== signature) this.#current = { signature, key: randomUuid() };
    return this.#current.key;
  }

  /** Forgets the key (a new, unrelated send starts). */
  reset(): void {
    this.#current = undefined;
  }
}

/** Where a server field error belongs in the form. */
export type FieldTarget =
  | { readonly kind: 'block'; readonly blockId: string }
  | { readonly kind: 'override'; readonly contactId: string; readonly blockId: string }
  | { readonly kind: 'recipient'; readonly contactId: string }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'general' };

/** Maps a field error path (`body.personalization.intro`, `body.contactIds.3`, …) onto the form. */
export function fieldTarget(path: string, contactIds: readonly string[]): FieldTarget {
  const parts = path.split('.');
  if (parts[0] === 'body') parts.shift();
  const [head, a, b] = parts;
  if (head === 'personalization' && a) return { kind: 'block', blockId: a };
  if (head === 'overrides' && a && b) return { kind: 'override', contactId: a, blockId: b };
  if (head === 'overrides' && a) return { kind: 'recipient', contactId: a };
  if (head === 'contactIds' && a !== undefined && /^\d+$/.test(a)) {
    const id = contactIds[Number(a)];
    if (id) return { kind: 'recipient', contactId: id };
  }
  if (head === 'scheduledAt') return { kind: 'schedule' };
  return { kind: 'general' };
}

/** A key for a form field, shared by client findings and server errors. */
export function targetKey(target: FieldTarget): string {
  switch (target.kind) {
    case 'block':
      return `block:${target.blockId}`;
    case 'override':
      return `override:${target.contactId}:${target.blockId}`;
    case 'recipient':
      return `recipient:${target.contactId}`;
    default:
      return target.kind;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A `datetime-local` value (`2026-11-27T09:30`, the user's local time) as an ISO-8601 timestamp with
 * the local offset (`2026-11-27T09:30:00+01:00`); undefined when it is not a valid time.
 */
export function localToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `date` as a `datetime-local` value in local time (minutes precision). */
export function toLocalInput(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

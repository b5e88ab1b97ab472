import { z } from 'zod';
import { Cursor, Id, Limit, Locale, Timestamp, page } from './common.js';

export const Consent = z.enum(['opted_in', 'unknown', 'opted_out']).meta({ id: 'Consent' });
export type Consent = z.infer<typeof Consent>;

/** Deliverability status; anything but `active` means the contact cannot be mailed. */
export const ContactStatus = z
  .enum(['active', 'unsubscribed', 'bounced', 'complained'])
  .meta({ id: 'ContactStatus' });
export type ContactStatus = z.infer<typeof ContactStatus>;

export const Contact = z
  .object({
    id: Id,
    email: z.email(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    locale: Locale.nullable(),
    consent: Consent,
    status: ContactStatus,
    /** True when the contact may be mailed now (active and not opted out). */
    mailable: z.boolean(),
    tags: z.array(z.string()),
    createdAt: Timestamp,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

const Name = z.string().trim().min(1).max(100);

export const ContactCreate = z
  .strictObject({
    email: z.email().max(254),
    firstName: Name.optional(),
    lastName: Name.optional(),
    company: z.string().trim().min(1).max(200).optional(),
    locale: Locale.optional(),
    consent: Consent.default('unknown'),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  })
  .meta({ id: 'ContactCreate' });
export type ContactCreate = z.input<typeof ContactCreate>;

export const ContactQuery = z
  .strictObject({
    q: z.string().trim().max(200).optional(),
    status: ContactStatus.optional(),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'ContactQuery' });
export type ContactQuery = z.input<typeof ContactQuery>;

export const ContactPage = page(Contact, 'ContactPage');
export type ContactPage = z.infer<typeof ContactPage>;

export const ContactImportResult = z
  .object({
    created: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    errors: z.array(z.object({ row: z.number().int().positive(), field: z.string(), message: z.string() })),
  })
  .meta({ id: 'ContactImportResult' });
export type ContactImportResult = z.infer<typeof ContactImportResult>;

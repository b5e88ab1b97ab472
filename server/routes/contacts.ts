import { createRoute } from '@hono/zod-openapi';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  Contact,
  ContactCreate,
  ContactImportResult,
  ContactPage,
  ContactQuery,
  ErrorBody,
  type ContactImportResult as ImportResult,
} from '../../src/contract/index.js';
import { contacts } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { parseCsv } from '../domain/csv.js';
import { CursorTimestamp, decodeCursor, encodeCursor } from '../domain/cursor.js';
import { isoMicros, keysetAfter, keysetOrder, type KeyPart } from '../domain/keyset.js';
import { matchAllWords, searchText } from '../domain/search.js';
import { contactPartnerId, contactScope, contactWriterPartnerId } from '../domain/visibility.js';
import type { App, Caller } from '../env.js';
import { ApiError, zodFields } from '../errors.js';
import { errorResponses, json, jsonBody } from './shared.js';

type ContactRow = typeof contacts.$inferSelect;

/** Most rows one CSV import may carry. */
export const IMPORT_MAX_ROWS = 5000;
/** Largest CSV body accepted (bytes). */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
const IMPORT_COLUMNS = ['email', 'firstName', 'lastName', 'company', 'locale', 'consent', 'tags'] as const;

const listContacts = createRoute({
  method: 'get',
  path: '/v1/contacts',
  tags: ['contacts'],
  summary: "The caller's partner's contacts",
  description:
    'Newest first. `q` matches every word against name, email and company. Each contact carries its ' +
    'consent, deliverability status and whether it may be mailed now. Brand-level users have no contacts (403).',
  request: { query: ContactQuery },
  responses: { 200: json(ContactPage, 'A page of contacts'), ...errorResponses },
});

const createContact = createRoute({
  method: 'post',
  path: '/v1/contacts',
  tags: ['contacts'],
  summary: "Add a contact to the caller's partner",
  description: 'The email is trimmed and lower-cased; a second contact with the same email is a 409.',
  request: { body: jsonBody(ContactCreate) },
  responses: {
    201: json(Contact, 'The new contact'),
    ...errorResponses,
    409: json(ErrorBody, 'A contact with this email already exists (`fields[0].path` is `body.email`)'),
  },
});

const importContacts = createRoute({
  method: 'post',
  path: '/v1/contacts/import',
  tags: ['contacts'],
  summary: 'Import contacts from CSV',
  description:
    `A header row naming any of ${IMPORT_COLUMNS.join(', ')} (email required; tags separated by \`;\`), ` +
    `then at most ${IMPORT_MAX_ROWS} rows. Valid rows are added; rows whose email already exists (or repeats ` +
    'earlier in the file) are skipped; invalid rows are reported with their row number (the header is row 1) ' +
    'and not added.',
  request: {
    body: { required: true, content: { 'text/csv': { schema: z.string().meta({ format: 'binary' }) } } },
  },
  responses: {
    200: json(ContactImportResult, 'What was added, skipped and rejected'),
    ...errorResponses,
    413: json(ErrorBody, `More than ${IMPORT_MAX_ROWS} rows or ${IMPORT_MAX_BYTES} bytes`),
    415: json(ErrorBody, 'The body is not text/csv'),
  },
});

const NEWEST: KeyPart[] = [
  { expr: sql`${contacts.createdAt}`, dir: 'desc', cast: 'timestamptz' },
  { expr: sql`${contacts.id}`, dir: 'desc' },
];
const CURSOR_SCOPE = 'contacts:newest';

export const isMailable = (r: Pick<ContactRow, 'status' | 'consent'>) =>
  r.status === 'active' && r.consent !== 'opted_out';

export const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  email: r.email,
  firstName: r.firstName,
  lastName: r.lastName,
  company: r.company,
  locale: r.locale as Contact['locale'],
  consent: r.consent,
  status: r.status,
  mailable: isMailable(r),
  tags: r.tags,
  createdAt: r.createdAt.toISOString(),
});

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const contactSearchText = (c: {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
}) => searchText(c.firstName, c.lastName, c.email, c.company);

const newContactId = () => `c_${crypto.randomUUID().replace(/-/g, '')}`;

type NewContact = z.output<typeof ContactCreate>;

function contactValues(caller: Caller, partnerId: string, input: NewContact, createdAt: Date) {
  const email = normalizeEmail(input.email);
  return {
    id: newContactId(),
    brandId: caller.brand.id,
    partnerId,
    email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    company: input.company ?? null,
    locale: input.locale ?? null,
    consent: input.consent,
    status: 'active' as const,
    tags: input.tags,
    searchText: contactSearchText({ ...input, email }),
    createdAt,
  };
}

export function registerContacts(app: App) {
  app.openapi(listContacts, async (c) => {
    const { db } = c.get('deps');
    const caller = c.get('caller');
    const partnerId = contactPartnerId(caller);
    const query = c.req.valid('query');

    const filters: Array<SQL | undefined> = [
      contactScope(caller, partnerId),
      matchAllWords(contacts.searchText, query.q),
      query.status ? eq(contacts.status, query.status) : undefined,
    ];
    const where = and(...filters);
    const position = query.cursor
      ? decodeCursor(query.cursor, CURSOR_SCOPE, z.tuple([CursorTimestamp]))
      : undefined;
    const pageWhere = position ? and(where, keysetAfter(NEWEST, [...position.key, position.id])) : where;
    const [rows, [totalRow]] = await Promise.all([
      db
        .select({ contact: contacts, cursorAt: isoMicros(contacts.createdAt) })
        .from(contacts)
        .where(pageWhere)
        .orderBy(keysetOrder(NEWEST))
        .limit(query.limit + 1),
      db.select({ n: count() }).from(contacts).where(where),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor(CURSOR_SCOPE, [last.cursorAt], last.contact.id) : null;
    return c.json(
      { items: items.map((r) => toContact(r.contact)), nextCursor, total: totalRow?.n ?? 0 },
      200,
    );
  });

  app.openapi(createContact, async (c) => {
    const { db, clock } = c.get('deps');
    const caller = c.get('caller');
    const partnerId = contactWriterPartnerId(caller);
    const values = contactValues(caller, partnerId, c.req.valid('json'), clock());
    const [row] = await db.insert(contacts).values(values).onConflictDoNothing().returning();
    if (!row) {
      throw new ApiError(409, 'conflict', 'a contact with this email already exists', [
        { path: 'body.email', message: 'a contact with this email already exists' },
      ]);
    }
    return c.json(toContact(row), 201);
  });

  app.openapi(importContacts, async (c) => {
    const { db, clock } = c.get('deps');
    const caller = c.get('caller');
    const partnerId = contactWriterPartnerId(caller);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv' && type !== 'text/plain') {
      throw new ApiError(415, 'validation', 'send the contacts as text/csv', [
        { path: 'header.content-type', message: 'must be text/csv' },
      ]);
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > IMPORT_MAX_BYTES) throw tooLarge(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);
    const text = await c.req.text();
    if (new TextEncoder().encode(text).length > IMPORT_MAX_BYTES) {
      throw tooLarge(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);
    }
    const result = await importCsv(db, caller, partnerId, text, clock());
    return c.json(result, 200);
  });
}

const tooLarge = (message: string) =>
  new ApiError(413, 'validation', `body: ${message}`, [{ path: 'body', message }]);

const ImportRow = ContactCreate.omit({ tags: true }).extend({
  tags: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(ContactCreate.shape.tags.unwrap()),
});

/** Parses, validates and inserts a CSV of contacts; see the import route's description for the rules. */
export async function importCsv(
  db: Db,
  caller: Caller,
  partnerId: string,
  text: string,
  now: Date,
): Promise<ImportResult> {
  const records = parseCsv(text);
  if (records.ok === false) {
    throw new ApiError(400, 'validation', `body: ${records.message}`, [
      { path: 'body', message: records.message },
    ]);
  }
  const [header, ...rows] = records.rows;
  if (!header || header.every((h) => h.trim() === '')) {
    throw new ApiError(400, 'validation', 'body: the CSV needs a header row', [
      { path: 'body', message: 'the CSV needs a header row naming its columns' },
    ]);
  }
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0 || !columns.includes('email')) {
    const message = unknown.length
      ? `unknown column(s) ${unknown.join(', ')}; allowed: ${IMPORT_COLUMNS.join(', ')}`
      : 'the header must name an email column';
    throw new ApiError(400, 'validation', `body: ${message}`, [{ path: 'body', message }]);
  }
  if (rows.length > IMPORT_MAX_ROWS) {
    throw tooLarge(`${rows.length} rows; at most ${IMPORT_MAX_ROWS} per import`);
  }

  const result: ImportResult = { created: 0, skipped: 0, errors: [] };
  const valid: Array<{ row: number; values: ReturnType<typeof contactValues> }> = [];
  const seen = new Set<string>();
  rows.forEach((cells, index) => {
    const rowNumber = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return; // blank line
    const record: Record<string, string> = {};
    columns.forEach((col, i) => {
      const cell = (cells[i] ?? '').trim();
      if (cell !== '') record[col] = cell;
    });
    if (record.email) record.email = normalizeEmail(record.email);
    const parsed = ImportRow.safeParse(record);
    if (!parsed.success) {
      for (const f of zodFields(parsed.error, 'csv')) {
        result.errors.push({ row: rowNumber, field: f.path.replace(/^csv\./, ''), message: f.message });
      }
      return;
    }
    const email = normalizeEmail(parsed.data.email);
    if (seen.has(email)) {
      result.skipped += 1;
      return;
    }
    seen.add(email);
    // Rows keep the file's order in the listing: the first row is the oldest.
    const createdAt = new Date(now.getTime() - (rows.length - index));
    valid.push({ row: rowNumber, values: contactValues(caller, partnerId, parsed.data, createdAt) });
  });

  for (let i = 0; i < valid.length; i += 500) {
    const batch = valid.slice(i, i + 500).map((v) => v.values);
    const inserted = await db
      .insert(contacts)
      .values(batch)
      .onConflictDoNothing()
      .returning({ id: contacts.id });
    result.created += inserted.length;
    result.skipped += batch.length - inserted.length;
  }
  return result;
}

import type { RecipientEngagement } from '../../contract/engagement.js';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`
 * first (OWASP CSV injection), so an email like `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: CRLF line ends, a byte-order mark so spreadsheets read UTF-8 (e.g. Chinese names). */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The columns of a recipient export, in order (stable names, for spreadsheets and scripts). */
export const RECIPIENT_COLUMNS = [
  'email',
  'name',
  'sendId',
  'contactId',
  'at',
  'delivered',
  'opened',
  'machineOpened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
  'opens',
  'machineOpens',
  'clicks',
  'lastEventAt',
] as const;

export function recipientsCsv(rows: readonly RecipientEngagement[]): string {
  return toCsv([RECIPIENT_COLUMNS, ...rows.map((r) => RECIPIENT_COLUMNS.map((c) => r[c]))]);
}

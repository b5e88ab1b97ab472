/**
 * A small RFC 4180 CSV reader: comma separated, `"` quoting with `""` escapes, CRLF or LF line ends,
 * a leading byte-order mark ignored. Returns the rows as arrays of cells.
 */
export function parseCsv(text: string): { ok: true; rows: string[][] } | { ok: false; message: string } {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell.trim() !== '') return { ok: false, message: `line ${line}: a quote inside an unquoted cell` };
      cell = '';
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      line++;
    } else {
      cell += ch;
    }
  }
  if (quoted) return { ok: false, message: `line ${line}: a quoted cell is not closed` };
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return { ok: true, rows };
}

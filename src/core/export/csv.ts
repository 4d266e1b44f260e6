/**
 * RFC 4180 CSV: a header row, then one row per record, CRLF line ends, fields quoted when
 * they hold a comma, a quote or a line break. A cell that a spreadsheet would run as a
 * formula (=, +, @, a tab or CR first; or "-" followed by anything but a session id's
 * characters) is prefixed with an apostrophe, as OWASP advises: exports open safely.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA = /^[=+@\t\r]|^-(?![A-Za-z0-9_-]*$)/;

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Rows without a header: the next part of a CSV written as it goes. */
export function csvRows(rows: ReadonlyArray<readonly Cell[]>): string {
  return rows.map((row) => row.map(field).join(',') + '\r\n').join('');
}

/** Unix seconds as ISO-8601 UTC for a spreadsheet; empty for none. */
export function isoTime(unix: number | null | undefined): string {
  return unix === null || unix === undefined ? '' : new Date(unix * 1000).toISOString();
}

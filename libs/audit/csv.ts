/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A cell starting with = + - @ (or a tab or CR, which some spreadsheets skip) is prefixed with
 * a quote mark so a spreadsheet shows it as text instead of running it as a formula.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: (string | null | undefined)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

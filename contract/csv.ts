/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula (starting with =, +, -, @,
 * tab or carriage return) is prefixed with an apostrophe, so that an exported audit log cannot run
 * code when opened (CSV formula injection).
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

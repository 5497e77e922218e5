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

/**
 * Counts the records of a CSV stream as its bytes arrive, header excluded: a line break inside a
 * quoted cell (a description that spans lines) ends no record. Returns the count so far after each chunk.
 */
export function csvRecordCounter(): (chunk: Uint8Array) => number {
  let lines = 0;
  let quoted = false;
  return (chunk) => {
    for (const byte of chunk) {
      if (byte === 0x22)
        quoted = !quoted; // an escaped quote ("") toggles twice
      else if (byte === 0x0a && !quoted) lines++;
    }
    return Math.max(0, lines - 1);
  };
}

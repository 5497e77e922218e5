import { describe, expect, it } from 'vitest';
import { csvCell, csvRecordCounter, csvRow } from './csv';

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tcmd', "'\tcmd"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('neutralises the formula %j with a leading apostrophe', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('neutralises a cell starting with a carriage return, and quotes it because of the line break', () => {
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('neutralises a negative number', () => {
    expect(csvCell(-5)).toBe("'-5");
  });

  it('neutralises a formula that also needs quoting, doubling its quotes', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvCell('@a,b')).toBe(`"'@a,b"`);
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line 1\nline 2', '"line 1\nline 2"'],
    ['line 1\r\nline 2', '"line 1\r\nline 2"'],
  ])('quotes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['1-2', '1-2'],
    ['user@example.com', 'user@example.com'],
    ["it's", "it's"],
    [' =1', ' =1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2026-03-08T10:15:00.000Z', '2026-03-08T10:15:00.000Z'],
  ])('leaves %j alone (only the first character makes a formula)', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as they are and null/undefined/empty as an empty cell', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });
});

describe('csvRow', () => {
  it('joins the cells with commas and ends the row with CRLF', () => {
    expect(csvRow(['a', 'b', 'c'])).toBe('a,b,c\r\n');
  });

  it('keeps empty cells in their place', () => {
    expect(csvRow([null, 'x', undefined, ''])).toBe(',x,,\r\n');
  });

  it('quotes and neutralises each cell', () => {
    expect(csvRow(['ar-1', '=HYPERLINK("x","y")', 'a,b', 7])).toBe(
      `ar-1,"'=HYPERLINK(""x"",""y"")","a,b",7\r\n`,
    );
  });

  it('is a single line break at the end for an empty row', () => {
    expect(csvRow([])).toBe('\r\n');
  });
});

describe('csvRecordCounter', () => {
  const header = csvRow(['Time', 'Summary', 'Description']);
  const rows = [
    csvRow(['2026-03-08T10:00:00Z', 'API token created', 'line one\r\nline two']),
    csvRow(['2026-03-08T10:01:00Z', 'API token revoked', 'said "no"\nthen\nleft']),
    csvRow(['2026-03-08T10:02:00Z', 'Settings changed', 'plain']),
  ];
  const bytes = new TextEncoder().encode(header + rows.join(''));

  it('counts records, not line breaks, whatever the chunks', () => {
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const count = csvRecordCounter();
      let records = 0;
      for (let i = 0; i < bytes.length; i += size) records = count(bytes.subarray(i, i + size));
      expect(records, `chunks of ${size} bytes`).toBe(3);
    }
  });

  it('is 0 for the header alone or nothing', () => {
    expect(csvRecordCounter()(new TextEncoder().encode(header))).toBe(0);
    expect(csvRecordCounter()(new Uint8Array())).toBe(0);
  });
});

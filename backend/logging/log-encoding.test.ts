import { describe, expect, it } from 'vitest';
import { logLines } from '../auth/log-lines';
import { logText, logWord } from './log-encoding';

describe('logText and logWord (Log4j 2 %enc{}{CRLF}, and more)', () => {
  it.each([
    { value: 'CI pipeline', text: 'CI pipeline', word: 'CI\\u0020pipeline' },
    { value: 'a\r\nb', text: 'a\\r\\nb', word: 'a\\r\\nb' },
    { value: 'tab\there', text: 'tab\\there', word: 'tab\\there' },
    { value: 'nul\u0000 del\u007f', text: 'nul\\u0000 del\\u007F', word: 'nul\\u0000\\u0020del\\u007F' },
    {
      value: 'ls\u2028ps\u2029nel\u0085',
      text: 'ls\\u2028ps\\u2029nel\\u0085',
      word: 'ls\\u2028ps\\u2029nel\\u0085',
    },
    { value: 'rlo\u202Eend', text: 'rlo\\u202Eend', word: 'rlo\\u202Eend' },
    { value: 'lone\uD800', text: 'lone\\uD800', word: 'lone\\uD800' },
    {
      value: 'back\\slash "quoted"',
      text: 'back\\\\slash \\"quoted\\"',
      word: 'back\\\\slash\\u0020\\"quoted\\"',
    },
    { value: 'nbsp\u00a0ideo\u3000', text: 'nbsp\u00a0ideo\u3000', word: 'nbsp\\u00A0ideo\\u3000' },
    { value: 'Überwachung 🚀', text: 'Überwachung 🚀', word: 'Überwachung\\u0020🚀' },
    { value: '-', text: '-', word: '\\u002D' },
    { value: '', text: '', word: '' },
  ])('$value', ({ value, text, word }) => {
    expect(logText(value)).toBe(text);
    expect(logWord(value)).toBe(word);
  });
});

describe('every authentication log line encodes what comes from outside', () => {
  /** For the usernames, endpoints, addresses and methods, which are bare words in the messages. */
  const HOSTILE = 'x\r\n2026-01-01 00:00:00,000+0000 INFO admin 10.9.9.9\u2028';
  /** For the token description, which the messages quote. */
  const DESCRIPTION = 'd" with Read & Write scope\r\n';
  const token = {
    description: DESCRIPTION,
    scope: 'READ_WRITE' as const,
    createdAt: '2026-01-06T14:14:46.000Z',
  };
  const lines: [string, string | readonly string[]][] = [
    ['authenticated', logLines.authenticated(token, HOSTILE, HOSTILE)],
    ['passedOn', logLines.passedOn(HOSTILE, HOSTILE)],
    ['bearerPassedOn', logLines.bearerPassedOn(HOSTILE)],
    ['basicFailed', logLines.basicFailed(HOSTILE, HOSTILE)],
    ['bearerFailed', logLines.bearerFailed(HOSTILE)],
    ['ipRestricted', logLines.ipRestricted(token, HOSTILE, HOSTILE, HOSTILE)],
    ['expired', logLines.expired(token, HOSTILE, '2026-11-01T00:00:00.000Z', HOSTILE)],
    ['notAllowed', logLines.notAllowed(token, HOSTILE, HOSTILE)],
    ['permissionDenied', logLines.permissionDenied(token, HOSTILE, HOSTILE, HOSTILE)],
    ['rateLimited', logLines.rateLimited(token, HOSTILE, 6, 2, HOSTILE)],
    ['sourceRateLimited', logLines.sourceRateLimited(HOSTILE, 6, 2, HOSTILE)],
  ];

  it('covers every line', () => {
    expect(lines.map(([name]) => name).sort()).toEqual(Object.keys(logLines).sort());
  });

  it.each(lines)('%s', (_name, produced) => {
    for (const line of typeof produced === 'string' ? [produced] : produced) {
      expect(line).not.toMatch(/[\r\n\u2028]/);
      // A bare word has no spaces; a quoted description cannot close its quotes.
      expect(line).not.toContain(' INFO admin');
      expect(line).not.toContain('d" ');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './engine';

describe('parseAuthorization', () => {
  const encoded = (text: string) => `Basic ${btoa(text)}`;

  it.each([
    { case: 'no header', header: null, expected: null },
    {
      case: 'Bearer',
      header: 'Bearer abc123',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    {
      case: 'lower-case bearer with extra spaces',
      header: 'bearer   abc123',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    { case: 'Bearer without a token', header: 'Bearer', expected: null },
    { case: 'Bearer followed by spaces only', header: 'Bearer   ', expected: null },
    {
      case: 'a tab after the scheme, spaces around the header',
      header: '  Bearer\tabc123  ',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    {
      case: 'whitespace inside the value (each run counts as one space)',
      header: 'Bearer abc \t  123',
      expected: { scheme: 'bearer', username: null, secret: 'abc 123' },
    },
    {
      case: 'BASIC in capitals',
      header: `BASIC ${btoa('jdoe:s3cret')}`,
      expected: { scheme: 'basic', username: 'jdoe', secret: 's3cret' },
    },
    {
      case: 'Basic with a UTF-8 username',
      header: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode('jürgen:s3cret')))}`,
      expected: { scheme: 'basic', username: 'jürgen', secret: 's3cret' },
    },
    {
      case: 'Basic user:secret',
      header: encoded('jdoe:s3cret'),
      expected: { scheme: 'basic', username: 'jdoe', secret: 's3cret' },
    },
    {
      case: 'Basic with colons in the secret',
      header: encoded('jdoe:pass:with:colons'),
      expected: { scheme: 'basic', username: 'jdoe', secret: 'pass:with:colons' },
    },
    { case: 'Basic without a colon', header: encoded('no-colon'), expected: null },
    { case: 'Basic that is not base64', header: 'Basic !!!not-base64', expected: null },
    { case: 'another scheme', header: 'Digest username="jdoe"', expected: null },
  ])('$case', ({ header, expected }) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});

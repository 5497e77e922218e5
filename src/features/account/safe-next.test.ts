import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const ORIGIN = 'https://console.example.com';

describe('safeNext', () => {
  it.each([
    ['/audit?range=7d#top', '/audit?range=7d#top'],
    ['/tokens/manage', '/tokens/manage'],
    ['/settings/../audit', '/audit'],
  ])('follows the path %j of this console', (next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  it.each([
    null,
    '',
    'audit',
    'https://evil.example/x',
    '//evil.example/x',
    '/\\evil.example:8080/x',
    '/\\/evil.example/x',
    '/\t/evil.example/x',
    'javascript:alert(1)',
  ])('sends %j to the start page', (next) => {
    expect(safeNext(next, ORIGIN)).toBe('/');
  });
});

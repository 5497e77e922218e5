import { describe, expect, it } from 'vitest';
import { parseStartLevels, startLevelSpecs } from './log-levels';

describe('the logging configuration a server starts with', () => {
  it('is the root logger at WARN when none is given (the app logger inherits it)', () => {
    expect(parseStartLevels([])).toEqual(new Map([['ROOT', 'WARN']]));
  });

  it('reads <logger>=<LEVEL> specs, in any case, the last one for a logger winning', () => {
    expect(
      parseStartLevels([
        'de.resolution.apitokenauth=info',
        'ROOT=ERROR',
        ' de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter = DEBUG ',
        'de.resolution.apitokenauth=TRACE',
      ]),
    ).toEqual(
      new Map([
        ['ROOT', 'ERROR'],
        ['de.resolution.apitokenauth', 'TRACE'],
        ['de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter', 'DEBUG'],
      ]),
    );
  });

  it.each([
    ['no level', 'de.resolution.apitokenauth'],
    ['an unknown level', 'de.resolution.apitokenauth=VERBOSE'],
    ['an empty level', 'de.resolution.apitokenauth='],
    ['no logger', '=INFO'],
    ['not a Java name', 'de.resolution..apitokenauth=INFO'],
  ])('refuses a spec with %s, naming it and the form to write', (_case, spec) => {
    expect(() => parseStartLevels([spec])).toThrow(`Not a logger level: "${spec}". Write <logger>=<level>`);
  });

  it('takes the comma-separated variable first and the flags after it (the flags win)', () => {
    expect(startLevelSpecs(['a.b=DEBUG'], ' a.b=INFO, ROOT=ERROR ,')).toEqual([
      'a.b=INFO',
      'ROOT=ERROR',
      'a.b=DEBUG',
    ]);
    expect(parseStartLevels(startLevelSpecs(['a.b=DEBUG'], 'a.b=INFO')).get('a.b')).toBe('DEBUG');
    expect(startLevelSpecs([], undefined)).toEqual([]);
  });
});

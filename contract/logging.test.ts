import { describe, expect, it } from 'vitest';
import { APP_LOGGERS, effectiveLevel, levelAllows, loggerAncestors, type LogLevel } from './logging';

const configured = (entries: Record<string, LogLevel>) => new Map(Object.entries(entries));

describe('loggerAncestors', () => {
  it('lists the ancestors of a dotted name nearest first, ending with ROOT', () => {
    expect(loggerAncestors(APP_LOGGERS.rateLimiter)).toEqual([
      'de.resolution.apitokenauth.platform.auth',
      'de.resolution.apitokenauth.platform',
      'de.resolution.apitokenauth',
      'de.resolution',
      'de',
      'ROOT',
    ]);
  });

  it('gives a top-level name only ROOT, and ROOT no ancestors', () => {
    expect(loggerAncestors('de')).toEqual(['ROOT']);
    expect(loggerAncestors('ROOT')).toEqual([]);
  });
});

describe('effectiveLevel', () => {
  const service = APP_LOGGERS.authService;

  it.each([
    {
      case: 'its own configured level',
      levels: { [service]: 'DEBUG', 'de.resolution.apitokenauth': 'INFO', ROOT: 'WARN' },
      expected: { level: 'DEBUG', source: service },
    },
    {
      case: 'the nearest configured ancestor',
      levels: { 'de.resolution.apitokenauth': 'INFO', de: 'TRACE', ROOT: 'WARN' },
      expected: { level: 'INFO', source: 'de.resolution.apitokenauth' },
    },
    {
      case: 'a farther ancestor when the nearer ones have no level',
      levels: { de: 'TRACE', ROOT: 'WARN' },
      expected: { level: 'TRACE', source: 'de' },
    },
    {
      case: 'ROOT when no ancestor is configured',
      levels: { ROOT: 'WARN', 'com.atlassian': 'DEBUG' },
      expected: { level: 'WARN', source: 'ROOT' },
    },
    {
      case: 'ERROR from ROOT when nothing is configured',
      levels: {},
      expected: { level: 'ERROR', source: 'ROOT' },
    },
    {
      case: 'OFF from its own level, even under a verbose ancestor',
      levels: { [service]: 'OFF', 'de.resolution.apitokenauth': 'TRACE' },
      expected: { level: 'OFF', source: service },
    },
  ] as { case: string; levels: Record<string, LogLevel>; expected: { level: LogLevel; source: string } }[])(
    'takes $case',
    ({ levels, expected }) => {
      expect(effectiveLevel(service, configured(levels))).toEqual(expected);
    },
  );

  it('does not treat a sibling with a common name prefix as an ancestor', () => {
    const levels = configured({ 'de.resolution.apitoken': 'TRACE' });
    expect(effectiveLevel('de.resolution.apitokenauth', levels)).toEqual({ level: 'ERROR', source: 'ROOT' });
  });

  it('gives ROOT its own level, or ERROR when it has none', () => {
    expect(effectiveLevel('ROOT', configured({ ROOT: 'INFO' }))).toEqual({ level: 'INFO', source: 'ROOT' });
    expect(effectiveLevel('ROOT', configured({}))).toEqual({ level: 'ERROR', source: 'ROOT' });
  });
});

describe('levelAllows', () => {
  it.each([
    { logger: 'WARN', entry: 'INFO', allowed: false },
    { logger: 'WARN', entry: 'WARN', allowed: true },
    { logger: 'WARN', entry: 'ERROR', allowed: true },
    { logger: 'INFO', entry: 'INFO', allowed: true },
    { logger: 'INFO', entry: 'DEBUG', allowed: false },
    { logger: 'ERROR', entry: 'WARN', allowed: false },
    { logger: 'ERROR', entry: 'FATAL', allowed: true },
    { logger: 'FATAL', entry: 'ERROR', allowed: false },
  ] as { logger: LogLevel; entry: Exclude<LogLevel, 'OFF'>; allowed: boolean }[])(
    'a $logger logger writes a $entry entry: $allowed',
    ({ logger, entry, allowed }) => {
      expect(levelAllows(logger, entry)).toBe(allowed);
    },
  );

  const ENTRY_LEVELS = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;

  it('an OFF logger writes nothing, not even FATAL', () => {
    expect(ENTRY_LEVELS.filter((level) => levelAllows('OFF', level))).toEqual([]);
  });

  it('a TRACE logger writes everything', () => {
    expect(ENTRY_LEVELS.filter((level) => levelAllows('TRACE', level))).toEqual([...ENTRY_LEVELS]);
  });
});

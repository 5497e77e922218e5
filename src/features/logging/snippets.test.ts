import { describe, expect, it } from 'vitest';
import { APP_LOGGERS, ROOT_LOGGER } from '@contract/logging';
import { parseStartLevels, startLevelSpecs } from '../../../server/log-levels';
import {
  LOG4J1_CONVERSION_PATTERN,
  log4j1Snippet,
  log4j2Snippet,
  serverSnippet,
  snippetLoggers,
} from './snippets';

/**
 * The seed's ConversionPattern with its two empty keys (`%X{} %X{}`, lost in the seed's copy) named as
 * Jira's log4j.properties names them.
 */
const SEED_PATTERN =
  '%d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p %X{jira.username} %X{jira.request.id} %X{jira.request.assession.id} %X{jira.request.ipaddr} %X{jira.request.url} [%q{2}] %m%n';

const COMMENT = '<!-- Logger for API Token Authentication -->';

const APPENDER_LINES = [
  'log4j.appender.apitokenservice=com.atlassian.jira.logging.JiraHomeAppender',
  'log4j.appender.apitokenservice.File=apitokenservice.log',
  'log4j.appender.apitokenservice.MaxFileSize=20480KB',
  'log4j.appender.apitokenservice.MaxBackupIndex=5',
  'log4j.appender.apitokenservice.layout=com.atlassian.logging.log4j.NewLineIndentingFilteringPatternLayout',
  `log4j.appender.apitokenservice.layout.ConversionPattern=${SEED_PATTERN}`,
];

describe('log4j2Snippet', () => {
  it("gives the seed's form for each configured logger, after the comment line", () => {
    const text = log4j2Snippet([
      { name: APP_LOGGERS.app, level: 'INFO' },
      { name: APP_LOGGERS.rateLimiter, level: 'DEBUG' },
    ]);
    expect(text.split('\n')).toEqual([
      COMMENT,
      '<Logger name="de.resolution.apitokenauth" level="INFO" additivity="false">',
      '    <AppenderRef ref="filelog"/>',
      '</Logger>',
      '<Logger name="de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter" level="DEBUG" additivity="false">',
      '    <AppenderRef ref="filelog"/>',
      '</Logger>',
    ]);
  });

  it('leaves ROOT out', () => {
    const text = log4j2Snippet([
      { name: ROOT_LOGGER, level: 'WARN' },
      { name: 'com.example.integration', level: 'TRACE' },
    ]);
    expect(text).not.toContain('ROOT');
    expect(text).not.toContain('WARN');
    expect(text.split('\n')).toEqual([
      COMMENT,
      '<Logger name="com.example.integration" level="TRACE" additivity="false">',
      '    <AppenderRef ref="filelog"/>',
      '</Logger>',
    ]);
  });

  it('escapes the XML special characters of a name', () => {
    const text = log4j2Snippet([{ name: 'a&b"c<d>e', level: 'INFO' }]);
    expect(text).toContain('<Logger name="a&amp;b&quot;c&lt;d&gt;e" level="INFO" additivity="false">');
    expect(text).not.toContain('a&b');
    expect(text).not.toContain('<d>');
  });

  it('escapes an ampersand once, not twice', () => {
    expect(log4j2Snippet([{ name: '&lt;', level: 'INFO' }])).toContain('name="&amp;lt;"');
  });

  it('is only the comment line for no configured loggers', () => {
    expect(log4j2Snippet([])).toBe(COMMENT);
    expect(log4j2Snippet([{ name: ROOT_LOGGER, level: 'ERROR' }])).toBe(COMMENT);
  });
});

describe('log4j1Snippet', () => {
  it("uses the seed's ConversionPattern, without an empty %X{} key", () => {
    expect(LOG4J1_CONVERSION_PATTERN).toBe(SEED_PATTERN);
    expect(log4j1Snippet([])).not.toContain('%X{}');
    expect(log4j1Snippet([])).toContain(
      `log4j.appender.apitokenservice.layout.ConversionPattern=${SEED_PATTERN}\n`,
    );
  });

  it('sends each configured logger to the apitokenservice appender without additivity', () => {
    const text = log4j1Snippet([
      { name: ROOT_LOGGER, level: 'WARN' },
      { name: APP_LOGGERS.app, level: 'INFO' },
      { name: APP_LOGGERS.authService, level: 'DEBUG' },
    ]);
    expect(text.split('\n')).toEqual([
      ...APPENDER_LINES,
      '',
      'log4j.logger.de.resolution.apitokenauth=INFO, apitokenservice',
      'log4j.additivity.de.resolution.apitokenauth=false',
      'log4j.logger.de.resolution.apitokenauth.ApiTokenAuthenticationService=DEBUG, apitokenservice',
      'log4j.additivity.de.resolution.apitokenauth.ApiTokenAuthenticationService=false',
    ]);
    expect(text).not.toContain('ROOT');
  });

  it('is only the appender for no configured loggers', () => {
    expect(log4j1Snippet([])).toBe([...APPENDER_LINES, ''].join('\n'));
    expect(log4j1Snippet([{ name: ROOT_LOGGER, level: 'WARN' }])).toBe([...APPENDER_LINES, ''].join('\n'));
  });
});

describe('snippetLoggers', () => {
  it('keeps the configured loggers when any but ROOT is configured', () => {
    const configured = [
      { name: ROOT_LOGGER, level: 'WARN' as const },
      { name: 'com.example.integration', level: 'DEBUG' as const },
    ];
    expect(snippetLoggers(configured)).toEqual({ loggers: configured, example: false });
  });

  it("gives the seed's example, the app's package at INFO, when nothing or only ROOT is configured", () => {
    const app = { name: APP_LOGGERS.app, level: 'INFO' };
    expect(snippetLoggers([])).toEqual({ loggers: [app], example: true });
    // ROOT stays: the server's snippet keeps a ROOT level other than its default.
    const root = { name: ROOT_LOGGER, level: 'ERROR' as const };
    expect(snippetLoggers([root])).toEqual({ loggers: [root, app], example: true });
  });
});

describe('serverSnippet', () => {
  it('names each logger with its level in ATC_LOG_LEVELS, ROOT only when it is not the default WARN', () => {
    expect(
      serverSnippet([
        { name: ROOT_LOGGER, level: 'WARN' },
        { name: APP_LOGGERS.app, level: 'INFO' },
        { name: APP_LOGGERS.rateLimiter, level: 'DEBUG' },
      ]),
    ).toBe(
      'ATC_LOG_LEVELS=de.resolution.apitokenauth=INFO,de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter=DEBUG',
    );
    expect(serverSnippet([{ name: ROOT_LOGGER, level: 'ERROR' }])).toBe('ATC_LOG_LEVELS=ROOT=ERROR');
  });

  it('is read back by the server as the same levels', () => {
    const loggers = [
      { name: ROOT_LOGGER, level: 'ERROR' as const },
      { name: APP_LOGGERS.app, level: 'TRACE' as const },
    ];
    const value = serverSnippet(loggers).slice('ATC_LOG_LEVELS='.length);
    expect(parseStartLevels(startLevelSpecs([], value))).toEqual(
      new Map(loggers.map((l) => [l.name, l.level])),
    );
  });
});

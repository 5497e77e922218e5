import type { LogLevel } from '@contract/logging';
import { APP_LOGGERS, ROOT_LOGGER } from '@contract/logging';

export interface ConfiguredLogger {
  name: string;
  level: LogLevel;
}

/**
 * The loggers the snippets keep: the ones configured on the page, or, when no logger but ROOT is (as a
 * server starts), ROOT and the seed's example: the app's package at INFO, which writes the
 * authentication lines.
 */
export function snippetLoggers(configured: readonly ConfiguredLogger[]): {
  loggers: readonly ConfiguredLogger[];
  example: boolean;
} {
  if (configured.some((l) => l.name !== ROOT_LOGGER)) return { loggers: configured, example: false };
  return { loggers: [...configured, { name: APP_LOGGERS.app, level: 'INFO' }], example: true };
}

/**
 * The seed's ConversionPattern for the dedicated appender of the Log4j 1 example. The seed's copy lost
 * two keys (`%X{} %X{}`, which print nothing): they are Jira's own, as its log4j.properties names them.
 */
export const LOG4J1_CONVERSION_PATTERN =
  '%d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p %X{jira.username} %X{jira.request.id} %X{jira.request.assession.id} %X{jira.request.ipaddr} %X{jira.request.url} [%q{2}] %m%n';

const xml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Log4j 2 (Jira 9.5 and newer), in the seed's form: each logger without additivity, to the file
 * appender. Goes into the <Loggers> section of log4j2.xml in the Jira home directory.
 */
export function log4j2Snippet(loggers: readonly ConfiguredLogger[]): string {
  const lines = loggers
    .filter((l) => l.name !== ROOT_LOGGER)
    .flatMap((l) => [
      `<Logger name="${xml(l.name)}" level="${l.level}" additivity="false">`,
      '    <AppenderRef ref="filelog"/>',
      '</Logger>',
    ]);
  return ['<!-- Logger for API Token Authentication -->', ...lines].join('\n');
}

/**
 * Log4j 1 (before Jira 9.5), as the seed's example: a dedicated file appender `apitokenservice`
 * with its ConversionPattern, and each logger sent to it without additivity.
 */
export function log4j1Snippet(loggers: readonly ConfiguredLogger[]): string {
  const appender = 'log4j.appender.apitokenservice';
  return [
    `${appender}=com.atlassian.jira.logging.JiraHomeAppender`,
    `${appender}.File=apitokenservice.log`,
    `${appender}.MaxFileSize=20480KB`,
    `${appender}.MaxBackupIndex=5`,
    `${appender}.layout=com.atlassian.logging.log4j.NewLineIndentingFilteringPatternLayout`,
    `${appender}.layout.ConversionPattern=${LOG4J1_CONVERSION_PATTERN}`,
    '',
    ...loggers
      .filter((l) => l.name !== ROOT_LOGGER)
      .flatMap((l) => [
        `log4j.logger.${l.name}=${l.level}, apitokenservice`,
        `log4j.additivity.${l.name}=false`,
      ]),
  ].join('\n');
}

/**
 * This console's own server (`npm run serve`): the levels every start begins with, as its
 * ATC_LOG_LEVELS variable (ROOT only when it differs from the server's default, WARN).
 */
export function serverSnippet(loggers: readonly ConfiguredLogger[]): string {
  const levels = loggers
    .filter((l) => !(l.name === ROOT_LOGGER && l.level === 'WARN'))
    .map((l) => `${l.name}=${l.level}`);
  return `ATC_LOG_LEVELS=${levels.join(',')}`;
}

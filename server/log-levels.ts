import {
  LOG_LEVELS,
  LoggerNameSchema,
  LogLevelSchema,
  ROOT_LOGGER,
  type LogLevel,
} from '../contract/logging';

/**
 * The server's logging configuration: the levels every start begins with (levels set on the Logging
 * page last until the restart, as in Jira). Without one, the root logger is at WARN and the app's
 * loggers inherit it, as in Jira: the seed has the administrator turn the app's package to INFO to get
 * its authentication lines ("After changing the log level … to INFO our app writes additional entries").
 *
 * Each spec is `<logger>=<LEVEL>` (from `--log-level`, repeatable, or ATC_LOG_LEVELS, comma-separated),
 * e.g. `de.resolution.apitokenauth=INFO`; ROOT names the root logger. A later spec for the same logger
 * wins. Throws with a message that names the spec it cannot read.
 */
export function parseStartLevels(specs: readonly string[]): Map<string, LogLevel> {
  const levels = new Map<string, LogLevel>([[ROOT_LOGGER, 'WARN']]);
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const name = LoggerNameSchema.safeParse(spec.slice(0, Math.max(eq, 0)));
    const level = LogLevelSchema.safeParse(
      spec
        .slice(eq + 1)
        .trim()
        .toUpperCase(),
    );
    if (eq < 0 || !name.success || !level.success) {
      throw new Error(
        `Not a logger level: "${spec}". Write <logger>=<level>, e.g. de.resolution.apitokenauth=INFO ` +
          `(levels: ${LOG_LEVELS.join(', ')}; ROOT is the root logger).`,
      );
    }
    levels.set(name.data, level.data);
  }
  return levels;
}

/** The specs of `--log-level` values and the ATC_LOG_LEVELS variable (the flags win: they come last). */
export function startLevelSpecs(flags: readonly string[], variable: string | undefined): string[] {
  const fromVariable = (variable ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...fromVariable, ...flags];
}

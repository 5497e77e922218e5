import { effectiveLevel, levelAllows, type LoggerConfig, type LogLevel } from '../../contract/logging';
import { redactSecrets } from '../auth/secrets';
import type { Store } from '../store/port';
import { logWord } from './log-encoding';

/** A field of the line's prefix, as it reaches the log: no secret, no whitespace, one line. */
const field = (value: string) => logWord(redactSecrets(value));

export interface LogContext {
  username: string;
  clientIp: string;
  url: string;
  node: string;
  thread: string;
}

export interface LogWriter {
  /** Whether the logger's effective level on the node allows lines of this level at this moment. */
  enabled(logger: string, level: Exclude<LogLevel, 'OFF'>, node: string): boolean;
  /**
   * Writes the lines of one event (same logger, level, context and time), if the logger's effective
   * level allows them at this moment; returns whether it did.
   */
  write(
    logger: string,
    level: Exclude<LogLevel, 'OFF'>,
    context: LogContext,
    messages: readonly string[],
  ): boolean;
}

interface LevelsOfList {
  configured: Map<string, LogLevel>;
  effective: Map<string, LogLevel>;
}

/**
 * Writes log entries to the store: what the "Log entries" tab reads (the real server's store writes
 * them to its log file and stdout).
 */
export function createLogWriter(store: () => Store, now: () => Date): LogWriter {
  // The effective level of each logger, worked out once per list of loggers: a store that caches its
  // list returns the same array until a level changes, so this is not redone for every line.
  const levelsByList = new WeakMap<readonly LoggerConfig[], LevelsOfList>();
  const levelOf = (loggers: readonly LoggerConfig[], logger: string): LogLevel => {
    let levels = levelsByList.get(loggers);
    if (!levels) {
      const configured = new Map<string, LogLevel>();
      for (const l of loggers) if (l.configuredLevel) configured.set(l.name, l.configuredLevel);
      levels = { configured, effective: new Map() };
      levelsByList.set(loggers, levels);
    }
    let level = levels.effective.get(logger);
    if (!level) {
      level = effectiveLevel(logger, levels.configured).level;
      levels.effective.set(logger, level);
    }
    return level;
  };
  const enabled: LogWriter['enabled'] = (logger, level, node) =>
    levelAllows(levelOf(store().listLoggers(node), logger), level);
  const write: LogWriter['write'] = (logger, level, context, messages) => {
    if (!enabled(logger, level, context.node)) return false;
    const timestamp = now().toISOString();
    // The prefix fields encoded here, the messages where their values entered them (log-lines.ts);
    // secrets redacted from both. Every store keeps the line as the log file holds it.
    const username = field(context.username);
    const clientIp = field(context.clientIp);
    const url = field(context.url);
    const thread = field(context.thread);
    const { node } = context;
    store().appendLogEntries(
      messages.map((message) => ({
        timestamp,
        level,
        logger,
        username,
        clientIp,
        url,
        node,
        thread,
        message: redactSecrets(message),
      })),
    );
    return true;
  };
  return { enabled, write };
}

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

/** One node's logger levels at one moment: what an event's lines are checked against. */
export interface NodeLevels {
  /** Whether the logger's effective level allows lines of this level. */
  allows(logger: string, level: Exclude<LogLevel, 'OFF'>): boolean;
}

export interface LogWriter {
  /**
   * The levels of a node's logger list (`Store.listLoggers`), worked out once per list: an event reads
   * the list once, before it formats any line.
   */
  levelsOf(loggers: readonly LoggerConfig[]): NodeLevels;
  /**
   * Writes the lines of one event (same logger, level, context and time), if `levels` allow them;
   * resolves with whether it did, once they are written.
   */
  write(
    levels: NodeLevels,
    logger: string,
    level: Exclude<LogLevel, 'OFF'>,
    context: LogContext,
    messages: readonly string[],
  ): Promise<boolean>;
}

/**
 * Writes log entries to the store: what the "Log entries" tab reads (the real server's store writes
 * them to its log file and stdout).
 */
export function createLogWriter(store: () => Store, now: () => Date): LogWriter {
  // The levels of a list of loggers, worked out once per list: a store that keeps its list (the memory
  // adapter, CachedStore) returns the same array until a level changes, so this is not redone for
  // every line.
  const levelsByList = new WeakMap<readonly LoggerConfig[], NodeLevels>();
  const levelsOf = (loggers: readonly LoggerConfig[]): NodeLevels => {
    let levels = levelsByList.get(loggers);
    if (!levels) {
      const configured = new Map<string, LogLevel>();
      for (const l of loggers) if (l.configuredLevel) configured.set(l.name, l.configuredLevel);
      const effective = new Map<string, LogLevel>();
      levels = {
        allows(logger, level) {
          let current = effective.get(logger);
          if (!current) {
            current = effectiveLevel(logger, configured).level;
            effective.set(logger, current);
          }
          return levelAllows(current, level);
        },
      };
      levelsByList.set(loggers, levels);
    }
    return levels;
  };
  return {
    levelsOf,
    async write(levels, logger, level, context, messages) {
      // (Checked again: cheap, and it keeps the writer safe for any caller.)
      if (!levels.allows(logger, level)) return false;
      const timestamp = now().toISOString();
      // The prefix fields encoded here, the messages where their values entered them (log-lines.ts);
      // secrets redacted from both. Every store keeps the line as the log file holds it.
      const username = field(context.username);
      const clientIp = field(context.clientIp);
      const url = field(context.url);
      const thread = field(context.thread);
      const { node } = context;
      await store().appendLogEntries(
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
    },
  };
}

import { effectiveLevel, levelAllows, type LogEntry, type LogLevel } from '../../contract/logging';
import type { Store } from '../store/port';

export interface LogContext {
  username: string;
  clientIp: string;
  url: string;
  node: string;
  thread: string;
}

export interface LogWriter {
  /** Writes the line if the logger's effective level allows it at this moment; returns whether it did. */
  write(logger: string, level: Exclude<LogLevel, 'OFF'>, context: LogContext, message: string): boolean;
}

/**
 * Writes log entries to the store (what the "Log entries" tab reads) and to any extra sinks (the real
 * server adds its log file and stdout).
 */
export function createLogWriter(
  store: () => Store,
  now: () => Date,
  sinks: ((entry: LogEntry) => void)[] = [],
): LogWriter {
  return {
    write(logger, level, context, message) {
      const configured = new Map<string, LogLevel>();
      for (const l of store().listLoggers(context.node))
        if (l.configuredLevel) configured.set(l.name, l.configuredLevel);
      if (!levelAllows(effectiveLevel(logger, configured).level, level)) return false;
      const [entry] = store().appendLogEntries([
        { timestamp: now().toISOString(), level, logger, ...context, message },
      ]);
      if (entry) for (const sink of sinks) sink(entry);
      return true;
    },
  };
}

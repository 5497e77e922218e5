import { z } from 'zod';

export const LOG_LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const ROOT_LOGGER = 'ROOT';
export const APP_LOGGERS = {
  app: 'de.resolution.apitokenauth',
  authService: 'de.resolution.apitokenauth.ApiTokenAuthenticationService',
  rateLimiter: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter',
} as const;

/** Cluster nodes; the demo simulates two. */
export const DEMO_NODES = ['node-1', 'node-2'] as const;

export const LoggerConfigSchema = z.object({
  name: z.string(),
  /** null: no level of its own, inherited from the nearest configured ancestor. */
  configuredLevel: LogLevelSchema.nullable(),
});
export type LoggerConfig = z.infer<typeof LoggerConfigSchema>;

export const LogEntrySchema = z.object({
  id: z.string(),
  timestamp: z.iso.datetime(),
  level: LogLevelSchema,
  logger: z.string(),
  node: z.string(),
  thread: z.string(),
  username: z.string(),
  clientIp: z.string(),
  url: z.string(),
  message: z.string(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** Severity order: a logger at level L writes an entry of level E when E is at or above L (OFF writes nothing). */
const SEVERITY: Record<LogLevel, number> = {
  OFF: 0,
  FATAL: 1,
  ERROR: 2,
  WARN: 3,
  INFO: 4,
  DEBUG: 5,
  TRACE: 6,
};

export function levelAllows(loggerLevel: LogLevel, entryLevel: Exclude<LogLevel, 'OFF'>): boolean {
  return SEVERITY[entryLevel] <= SEVERITY[loggerLevel];
}

/** The ancestors of a dotted logger name, nearest first, ending with ROOT. */
export function loggerAncestors(name: string): string[] {
  if (name === ROOT_LOGGER) return [];
  const parts = name.split('.');
  const ancestors: string[] = [];
  for (let i = parts.length - 1; i > 0; i--) ancestors.push(parts.slice(0, i).join('.'));
  ancestors.push(ROOT_LOGGER);
  return ancestors;
}

/**
 * The effective level of a logger and where it comes from: its own configured level, else the
 * nearest configured ancestor's, else ROOT's (ERROR when even ROOT has none, as in Log4j).
 */
export function effectiveLevel(
  name: string,
  configured: ReadonlyMap<string, LogLevel>,
): { level: LogLevel; source: string } {
  for (const candidate of [name, ...loggerAncestors(name)]) {
    const level = configured.get(candidate);
    if (level) return { level, source: candidate };
  }
  return { level: 'ERROR', source: ROOT_LOGGER };
}

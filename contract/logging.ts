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

// ---------------------------------------------------------------------------------------------
// The Logging API.

/** A package or class name as Java writes it (or ROOT). */
export const LoggerNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a package or class name.')
  .max(255, 'At most 255 characters.')
  .regex(
    /^(ROOT|[A-Za-z_$][A-Za-z\d_$]*(\.[A-Za-z_$][A-Za-z\d_$]*)*)$/,
    'Enter a Java package or class name, e.g. com.example.integration or de.resolution.apitokenauth.ApiTokenAuthenticationService.',
  );

export const REVERT_AFTER = { '15m': 15 * 60_000, '1h': 60 * 60_000, '4h': 4 * 60 * 60_000 } as const;
export type RevertAfter = keyof typeof REVERT_AFTER;
export const REVERT_AFTER_LABELS: Record<RevertAfter, string> = {
  '15m': '15 minutes',
  '1h': '1 hour',
  '4h': '4 hours',
};

/**
 * `PUT /logging/loggers/{name}`: the level for one node of the cluster or (no `node`) every node,
 * optionally reverted by the backend later.
 */
export const SetLevelRequestSchema = z
  .object({
    level: LogLevelSchema,
    revertAfter: z.enum(Object.keys(REVERT_AFTER) as [RevertAfter, ...RevertAfter[]]).optional(),
    node: z.string().min(1).max(64).optional(),
  })
  .strict();
export type SetLevelRequest = z.infer<typeof SetLevelRequestSchema>;

export const LoggerOnNodeSchema = z.object({
  node: z.string(),
  configuredLevel: LogLevelSchema.nullable(),
  effectiveLevel: LogLevelSchema,
  /** The logger the effective level comes from (itself when configured). */
  effectiveSource: z.string(),
});
export type LoggerOnNode = z.infer<typeof LoggerOnNodeSchema>;

export const LoggerViewSchema = z.object({
  name: z.string(),
  /** One entry per cluster node. */
  nodes: z.array(LoggerOnNodeSchema),
  /** When the backend puts the previous level back; null: the level stays until restart. */
  revertAt: z.iso.datetime().nullable(),
  /** The level each node goes back to then (null: inherited); null without a revert. */
  revertTo: z.record(z.string(), LogLevelSchema.nullable()).nullable(),
});
export type LoggerView = z.infer<typeof LoggerViewSchema>;

/**
 * A node of the cluster as the database knows it: what it said of itself when it started, and when
 * it was last heard of. `up`: it heartbeats; `down`: it stopped, or has not been heard of for longer
 * than its heartbeat allows (it stays listed: a node that went away is shown, not dropped).
 */
export const ClusterNodeSchema = z.object({
  id: z.string(),
  state: z.enum(['up', 'down']),
  /** Where the node serves (its URL), when it said so. */
  address: z.string().nullable(),
  /** The application's version on the node. */
  version: z.string().nullable(),
  startedAt: z.iso.datetime().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
});
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;

export const LoggersResponseSchema = z.object({
  nodes: z.array(ClusterNodeSchema),
  /** The node that answered (the one the console is connected to). */
  thisNode: z.string(),
  loggers: z.array(LoggerViewSchema),
});
export type LoggersResponse = z.infer<typeof LoggersResponseSchema>;

/** `GET /logging/entries`: filters and a keyset page, newest first. */
export const LogEntriesQuerySchema = z.object({
  level: z
    .array(LogLevelSchema.exclude(['OFF']))
    .max(6)
    .default([]),
  /** A logger name or a package prefix of it. */
  logger: z.string().trim().max(255).optional(),
  q: z.string().trim().max(255).optional(),
  node: z.string().max(64).optional(),
  cursor: z
    .string()
    .regex(/^[a-z]+-\d+$/, 'Not a valid cursor.')
    .optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type LogEntriesQuery = z.infer<typeof LogEntriesQuerySchema>;

/**
 * A page of log entries, newest first. It may hold fewer entries than asked for (even none) while
 * `nextCursor` says there is more: the real server reads its log file a part at a time.
 */
export const LogEntriesPageSchema = z.object({
  entries: z.array(LogEntrySchema),
  nextCursor: z.string().nullable(),
});
export type LogEntriesPage = z.infer<typeof LogEntriesPageSchema>;

/** Whether an entry matches the filters: one definition for every adapter. */
export function matchesLogEntry(entry: LogEntry, query: Omit<LogEntriesQuery, 'cursor' | 'limit'>): boolean {
  if (query.level.length > 0 && !(query.level as string[]).includes(entry.level)) return false;
  if (query.logger && entry.logger !== query.logger && !entry.logger.startsWith(`${query.logger}.`))
    return false;
  if (query.node && entry.node !== query.node) return false;
  if (query.q && !entry.message.toLowerCase().includes(query.q.toLowerCase())) return false;
  return true;
}

import { Hono } from 'hono';
import { LOGGING_CATEGORY, type ChangedValue } from '../../contract/audit';
import {
  APP_LOGGERS,
  effectiveLevel,
  LogEntriesQuerySchema,
  LoggerNameSchema,
  REVERT_AFTER,
  ROOT_LOGGER,
  SetLevelRequestSchema,
  type LogEntriesPage,
  type LoggersResponse,
  type LoggerConfig,
  type LogLevel,
  type LoggerView,
} from '../../contract/logging';
import { requirePermission, type AppContext, type AppEnv, type BackendDeps } from '../http/context';
import { HttpProblem, parseJsonBody, parseQuery } from '../http/problem';
import type { LevelRevert, Store } from '../store/port';
import { appendAuditRecords, auditRecord, authorOf, type AuditEntry } from '../services/audit';

const INHERITED = 'inherited';

/** How a logger's levels across the nodes read in an audit record: "INFO", or "node-1: INFO, node-2: DEBUG". */
function describeLevels(levels: Record<string, LogLevel | null>): string {
  const values = Object.values(levels).map((l) => l ?? INHERITED);
  if (new Set(values).size <= 1) return values[0] ?? INHERITED;
  return Object.entries(levels)
    .map(([node, level]) => `${node}: ${level ?? INHERITED}`)
    .join(', ');
}

async function levelsOf(store: Store, name: string): Promise<Record<string, LogLevel | null>> {
  const levels: Record<string, LogLevel | null> = {};
  for (const node of await store.listNodes()) {
    levels[node] = (await store.listLoggers(node)).find((l) => l.name === name)?.configuredLevel ?? null;
  }
  return levels;
}

/** Sets the logger's level on every node. */
async function setLevelEverywhere(store: Store, name: string, level: LogLevel | null): Promise<void> {
  for (const node of await store.listNodes()) await store.setLoggerLevel(node, name, level);
}

/** The record of a level change: on every node, by a user or by the server itself. */
async function writeLevelRecord(
  store: Store,
  change: Pick<AuditEntry, 'at' | 'author' | 'client' | 'method' | 'changedValues'> & { name: string },
): Promise<void> {
  const { name, ...entry } = change;
  await appendAuditRecords(store, [
    auditRecord({
      ...entry,
      summary: 'Log level changed',
      category: LOGGING_CATEGORY,
      affectedObjects: [{ type: 'logger', id: name, name }],
    }),
  ]);
}

/**
 * Puts back the previous levels of the pending temporary changes (`reverts`) whose time has come. Runs
 * before every request that finds a revert pending.
 */
export async function applyDueLevelReverts(
  deps: BackendDeps,
  reverts: readonly LevelRevert[],
): Promise<void> {
  const now = deps.now();
  for (const revert of reverts) {
    if (Date.parse(revert.revertAt) > now.getTime()) continue;
    const before = await levelsOf(deps.store, revert.name);
    for (const [node, level] of Object.entries(revert.previous))
      await deps.store.setLoggerLevel(node, revert.name, level);
    await deps.store.setLevelRevert(revert.name, null);
    await writeLevelRecord(deps.store, {
      name: revert.name,
      at: now,
      author: { username: null, displayName: `Automatic revert (set by ${revert.setBy})` },
      changedValues: [{ field: 'Level', from: describeLevels(before), to: describeLevels(revert.previous) }],
      client: { clientIp: null, proxyIp: null, nodeId: (await deps.store.listNodes())[0] ?? 'node-1' },
      method: null,
    });
  }
}

/**
 * What a server does at every start, as Log4j does: its loggers get the levels of its logging
 * configuration (`configured`) and no others. Levels set at runtime last until the restart, as the
 * console says, and their pending reverts go with them. Each logger whose levels this changes gets an
 * audit record, so that an auditor can see why lines stopped (not on a first start: nothing was set).
 */
export async function applyStartLevels(
  store: Store,
  configured: ReadonlyMap<string, LogLevel>,
  at: Date,
  nodeId: string,
): Promise<void> {
  const nodes = await store.listNodes();
  const loggersByNode = await Promise.all(nodes.map((node) => store.listLoggers(node)));
  const firstStart = loggersByNode.every((loggers) => loggers.length === 0);
  const names = new Set(configured.keys());
  for (const loggers of loggersByNode) for (const l of loggers) if (l.configuredLevel) names.add(l.name);
  for (const revert of await store.listLevelReverts()) await store.setLevelRevert(revert.name, null);
  for (const name of names) {
    const before = await levelsOf(store, name);
    const level = configured.get(name) ?? null;
    if (Object.values(before).every((l) => l === level)) continue;
    await setLevelEverywhere(store, name, level);
    if (firstStart) continue;
    await writeLevelRecord(store, {
      name,
      at,
      author: { username: null, displayName: 'Server start (logging configuration)' },
      changedValues: [{ field: 'Level', from: describeLevels(before), to: level ?? INHERITED }],
      client: { clientIp: null, proxyIp: null, nodeId },
      method: null,
    });
  }
}

function loggerName(c: AppContext): string {
  // Hono has decoded the path parameter already.
  const parsed = LoggerNameSchema.safeParse(c.req.param('name') ?? '');
  if (!parsed.success) {
    throw new HttpProblem(422, 'Unprocessable Content', 'Not a valid logger name.', {
      name: parsed.error.issues[0]!.message,
    });
  }
  return parsed.data;
}

async function loggersView(store: Store): Promise<LoggersResponse> {
  const nodes = await store.listNodes();
  const configured = new Map<string, LoggerConfig[]>();
  for (const node of nodes) configured.set(node, await store.listLoggers(node));
  const names = new Set<string>([ROOT_LOGGER, ...Object.values(APP_LOGGERS)]);
  for (const loggers of configured.values()) for (const l of loggers) names.add(l.name);
  const reverts = new Map((await store.listLevelReverts()).map((r) => [r.name, r.revertAt]));
  const loggers: LoggerView[] = [...names]
    .map((name) => ({
      name,
      nodes: nodes.map((node) => {
        const levels = new Map<string, LogLevel>();
        for (const l of configured.get(node) ?? [])
          if (l.configuredLevel) levels.set(l.name, l.configuredLevel);
        const effective = effectiveLevel(name, levels);
        return {
          node,
          configuredLevel: levels.get(name) ?? null,
          effectiveLevel: effective.level,
          effectiveSource: effective.source,
        };
      }),
      revertAt: reverts.get(name) ?? null,
    }))
    .sort((a, b) =>
      a.name === ROOT_LOGGER ? -1 : b.name === ROOT_LOGGER ? 1 : a.name.localeCompare(b.name),
    );
  return { nodes, loggers };
}

export const loggingRoutes = new Hono<AppEnv>()
  .get('/logging/loggers', async (c) => {
    await requirePermission(c, 'logging:read');
    return c.json(await loggersView(c.get('deps').store));
  })
  .put('/logging/loggers/:name', async (c) => {
    const user = await requirePermission(c, 'logging:write');
    const name = loggerName(c);
    const { level, revertAfter } = await parseJsonBody(c.req.raw, SetLevelRequestSchema);
    const { store, now } = c.get('deps');
    const at = now();
    const before = await levelsOf(store, name);
    await setLevelEverywhere(store, name, level);
    const pending = (await store.listLevelReverts()).find((r) => r.name === name);
    const revertAt = revertAfter ? new Date(at.getTime() + REVERT_AFTER[revertAfter]).toISOString() : null;
    // A new temporary change reverts to what was there before the first one, not to the temporary level.
    await store.setLevelRevert(
      name,
      revertAt ? { name, revertAt, previous: pending?.previous ?? before, setBy: user.username } : null,
    );
    const changes: ChangedValue[] = [{ field: 'Level', from: describeLevels(before), to: level }];
    if (revertAt) changes.push({ field: 'Reverts at', from: null, to: revertAt });
    await writeLevelRecord(store, {
      name,
      at,
      author: authorOf(user),
      changedValues: changes,
      client: c.get('client'),
      method: 'PUT',
    });
    return c.json(await loggersView(store));
  })
  .delete('/logging/loggers/:name', async (c) => {
    const user = await requirePermission(c, 'logging:write');
    const name = loggerName(c);
    if (name === ROOT_LOGGER) {
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        'The root logger has no inherited level to return to.',
        {
          name: 'The root logger cannot be reset.',
        },
      );
    }
    const { store, now } = c.get('deps');
    const before = await levelsOf(store, name);
    await setLevelEverywhere(store, name, null);
    await store.setLevelRevert(name, null);
    await writeLevelRecord(store, {
      name,
      at: now(),
      author: authorOf(user),
      changedValues: [{ field: 'Level', from: describeLevels(before), to: INHERITED }],
      client: c.get('client'),
      method: 'DELETE',
    });
    return c.json(await loggersView(store));
  })
  .get('/logging/entries', async (c) => {
    await requirePermission(c, 'logging:read');
    const query = parseQuery(c.req.url, LogEntriesQuerySchema);
    const { items, nextCursor } = await c.get('deps').store.listLogEntries(query);
    const body: LogEntriesPage = { entries: items, nextCursor };
    return c.json(body);
  });

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

const nodeIds = async (store: Store) => (await store.listNodes()).map((node) => node.id);

async function levelsOf(store: Store, name: string): Promise<Record<string, LogLevel | null>> {
  const levels: Record<string, LogLevel | null> = {};
  for (const node of await nodeIds(store)) {
    levels[node] = (await store.listLoggers(node)).find((l) => l.name === name)?.configuredLevel ?? null;
  }
  return levels;
}

/** Sets the logger's level on these nodes. */
async function setLevelOn(
  store: Store,
  nodes: readonly string[],
  name: string,
  level: LogLevel | null,
): Promise<void> {
  for (const node of nodes) await store.setLoggerLevel(node, name, level);
}

/** The record of a level change: on one node or every node, by a user or by the server itself. */
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

/** Whether a pending temporary change is due. */
export const revertDue = (revert: LevelRevert, now: Date) => Date.parse(revert.revertAt) <= now.getTime();

/**
 * Puts back the previous levels of the pending temporary changes whose time has come, on the nodes
 * they were set on, with an audit record by `nodeId`. The caller runs it once at a time in the whole
 * installation (`BackendDeps.exclusively`), so it reads the reverts afresh: each is applied once.
 */
export async function applyDueLevelReverts(deps: BackendDeps, nodeId: string): Promise<void> {
  const now = deps.now();
  for (const revert of await deps.store.listLevelReverts()) {
    if (!revertDue(revert, now)) continue;
    const before = await levelsOf(deps.store, revert.name);
    for (const [node, level] of Object.entries(revert.previous))
      await deps.store.setLoggerLevel(node, revert.name, level);
    await deps.store.setLevelRevert(revert.name, null);
    await writeLevelRecord(deps.store, {
      name: revert.name,
      at: now,
      author: { username: null, displayName: `Automatic revert (set by ${revert.setBy})` },
      changedValues: [
        {
          field: 'Level',
          from: describeLevels(before),
          to: describeLevels({ ...before, ...revert.previous }),
        },
      ],
      client: { clientIp: null, proxyIp: null, nodeId },
      method: null,
    });
  }
}

/**
 * What a server node does at every start, as Log4j does: its loggers get the levels of its logging
 * configuration (`configured`) and no others — on this node only (`nodeId`; in a cluster every node
 * has its own configuration, as Jira Data Center's nodes have). Levels set at runtime on this node last
 * until its restart, as the console says, and its part of the pending reverts goes with them. Each
 * logger whose level this changes gets an audit record, so that an auditor can see why lines stopped
 * (not on the node's first start: nothing was set).
 */
export async function applyStartLevels(
  store: Store,
  configured: ReadonlyMap<string, LogLevel>,
  at: Date,
  nodeId: string,
): Promise<void> {
  const loggers = await store.listLoggers(nodeId);
  const firstStart = loggers.length === 0;
  const names = new Set(configured.keys());
  for (const l of loggers) if (l.configuredLevel) names.add(l.name);
  for (const revert of await store.listLevelReverts()) {
    if (!(nodeId in revert.previous)) continue;
    const { [nodeId]: _restarted, ...others } = revert.previous;
    await store.setLevelRevert(
      revert.name,
      Object.keys(others).length > 0 ? { ...revert, previous: others } : null,
    );
  }
  for (const name of names) {
    const before = await levelsOf(store, name);
    const level = configured.get(name) ?? null;
    if ((before[nodeId] ?? null) === level) continue;
    await store.setLoggerLevel(nodeId, name, level);
    if (firstStart) continue;
    await writeLevelRecord(store, {
      name,
      at,
      author: { username: null, displayName: 'Server start (logging configuration)' },
      changedValues: [
        { field: 'Level', from: describeLevels(before), to: describeLevels({ ...before, [nodeId]: level }) },
      ],
      client: { clientIp: null, proxyIp: null, nodeId },
      method: null,
    });
  }
}

/**
 * The logger's pending revert after a change of its level on `targets`: a temporary change reverts the
 * nodes it was set on to what they had before the first temporary change (not to a temporary level); a
 * lasting change cancels the revert of the nodes it was set on, and leaves the others' pending.
 */
function nextRevert(
  name: string,
  targets: readonly string[],
  before: Record<string, LogLevel | null>,
  pending: LevelRevert | undefined,
  revertAt: string | null,
  setBy: string,
): LevelRevert | null {
  if (revertAt) {
    const previous = {
      ...Object.fromEntries(targets.map((n) => [n, before[n] ?? null])),
      ...pending?.previous,
    };
    return { name, revertAt, previous, setBy };
  }
  const untouched = Object.entries(pending?.previous ?? {}).filter(([node]) => !targets.includes(node));
  return pending && untouched.length > 0 ? { ...pending, previous: Object.fromEntries(untouched) } : null;
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

async function loggersView(store: Store, thisNode: string): Promise<LoggersResponse> {
  const clusterNodes = await store.listNodes();
  const nodes = clusterNodes.map((node) => node.id);
  const configured = new Map<string, LoggerConfig[]>();
  for (const node of nodes) configured.set(node, await store.listLoggers(node));
  const names = new Set<string>([ROOT_LOGGER, ...Object.values(APP_LOGGERS)]);
  for (const loggers of configured.values()) for (const l of loggers) names.add(l.name);
  const reverts = new Map((await store.listLevelReverts()).map((r) => [r.name, r]));
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
      revertAt: reverts.get(name)?.revertAt ?? null,
      revertTo: reverts.get(name)?.previous ?? null,
    }))
    .sort((a, b) =>
      a.name === ROOT_LOGGER ? -1 : b.name === ROOT_LOGGER ? 1 : a.name.localeCompare(b.name),
    );
  return { nodes: clusterNodes, thisNode, loggers };
}

export const loggingRoutes = new Hono<AppEnv>()
  .get('/logging/loggers', async (c) => {
    await requirePermission(c, 'logging:read');
    return c.json(await loggersView(c.get('deps').store, c.get('client').nodeId));
  })
  .put('/logging/loggers/:name', async (c) => {
    const user = await requirePermission(c, 'logging:write');
    const name = loggerName(c);
    const { level, revertAfter, node } = await parseJsonBody(c.req.raw, SetLevelRequestSchema);
    const { store, now } = c.get('deps');
    const at = now();
    const before = await levelsOf(store, name);
    if (node !== undefined && !Object.hasOwn(before, node)) {
      throw new HttpProblem(422, 'Unprocessable Content', `There is no node ${node}.`, {
        node: 'Choose a node of the cluster, or every node.',
      });
    }
    const targets = node === undefined ? Object.keys(before) : [node];
    await setLevelOn(store, targets, name, level);
    const pending = (await store.listLevelReverts()).find((r) => r.name === name);
    const revertAt = revertAfter ? new Date(at.getTime() + REVERT_AFTER[revertAfter]).toISOString() : null;
    await store.setLevelRevert(name, nextRevert(name, targets, before, pending, revertAt, user.username));
    const after = { ...before, ...Object.fromEntries(targets.map((n) => [n, level])) };
    const changes: ChangedValue[] = [
      { field: 'Level', from: describeLevels(before), to: describeLevels(after) },
    ];
    if (revertAt) changes.push({ field: 'Reverts at', from: null, to: revertAt });
    await writeLevelRecord(store, {
      name,
      at,
      author: authorOf(user),
      changedValues: changes,
      client: c.get('client'),
      method: 'PUT',
    });
    return c.json(await loggersView(store, c.get('client').nodeId));
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
    await setLevelOn(store, Object.keys(before), name, null);
    await store.setLevelRevert(name, null);
    await writeLevelRecord(store, {
      name,
      at: now(),
      author: authorOf(user),
      changedValues: [{ field: 'Level', from: describeLevels(before), to: INHERITED }],
      client: c.get('client'),
      method: 'DELETE',
    });
    return c.json(await loggersView(store, c.get('client').nodeId));
  })
  .get('/logging/entries', async (c) => {
    await requirePermission(c, 'logging:read');
    const query = parseQuery(c.req.url, LogEntriesQuerySchema);
    const { items, nextCursor } = await c.get('deps').store.listLogEntries(query);
    const body: LogEntriesPage = { entries: items, nextCursor };
    return c.json(body);
  });

/** The rare audit records: settings changes, log level changes and the token lifecycle. */
import { auditRecord, type AuditEntry } from '../../backend/services/audit';
import {
  tokenRotatedRecord,
  tokenUpdatedRecord,
  type AuditSource,
} from '../../backend/services/token-records';
import { publicToken } from '../../backend/services/tokens';
import { BASE_PATH } from '../../contract/api';
import { AUDIT_OPTIONS, GATE_LABELS } from '../../contract/audit-options';
import { LOGGING_CATEGORY, type AffectedObject, type ChangedValue } from '../../contract/audit';
import { APP_LOGGERS, DEMO_NODES, type LogLevel } from '../../contract/logging';
import { SCOPE_LABELS } from '../../contract/tokens';
import type { NewAuditRecord, StoredToken } from '../../backend/store/port';
import type { Rng } from './random';
import type { PendingRecord } from './audit-records';
import { DAY, HOUR, MINUTE } from './constants';
import { at, iso, shared } from './helpers';
import { IP_RESTRICTION_PRESETS, type IpPool } from './ips';
import { type TokenIds, HUMAN_DESCRIPTIONS, SERVICE_DESCRIPTIONS, type Tokens } from './tokens';
import { type People, type Person, person } from './users';

interface SettingSpec {
  field: string;
  values: string[];
  current: string;
}

/** What the stories of the rare records share: the data so far, and the list they add to. */
interface Story {
  rng: Rng;
  nowMs: number;
  windowStart: number;
  /** How many audit records the data set has in all (the rare ones scale with it). */
  count: number;
  people: People;
  tokens: Tokens;
  ips: IpPool;
  ids: TokenIds;
  admin: Person;
  pending: PendingRecord[];
}

/**
 * The records that are not authentication events, each with its time: settings changes, log level
 * changes, and the token lifecycle (created, deleted, all of a user's deleted).
 */
export function buildPendingRecords(
  rng: Rng,
  nowMs: number,
  windowStart: number,
  count: number,
  people: People,
  tokens: Tokens,
  ips: IpPool,
  ids: TokenIds,
): PendingRecord[] {
  const story: Story = {
    rng,
    nowMs,
    windowStart,
    count,
    people,
    tokens,
    ips,
    ids,
    admin: person(people, 'admin'),
    pending: [],
  };
  settingsStory(story);
  logLevelStory(story);
  tokenCreations(story);
  deletedTokens(story);
  usersWipedOut(story);
  tokenChanges(story);
  return story.pending;
}

/** A record at `t`, built as the backend builds its records (backend/services/audit.ts). */
function later(story: Story, t: number, entry: Omit<AuditEntry, 'at'>): void {
  story.pending.push({
    t,
    build: (id, timestamp) => ({ id, ...auditRecord({ ...entry, at: new Date(timestamp) }) }),
  });
}

/** Where a person's change came from (their home address, through a proxy or not, on some node). */
function sourceOf({ rng, ips }: Story, who: Person, method: string) {
  return {
    clientIp: who.homeIp,
    proxyIp: ips.proxies.pick(rng.next()),
    nodeId: rng.pick(DEMO_NODES),
    method,
  };
}
const authorOf = (who: Person) => shared({ username: who.user.username, displayName: who.user.displayName });
/** `rate` of the data set's records, at least `min`. */
const scaled = ({ count }: Story, rate: number, min: number) => Math.max(min, Math.round(count * rate));

// One affected object for every settings change, as the settings service writes it.
const SETTINGS = shared<AffectedObject>({
  type: 'settings',
  id: 'api-token-authentication',
  name: 'API Token Authentication settings',
});

/** Settings: the story starts with the admin switching audit logging on, 90 days ago. */
function settingsStory(story: Story): void {
  const { rng, nowMs, windowStart, people, admin } = story;
  const settingsChange = (t: number, who: Person, settings: AffectedObject, changes: ChangedValue[]) => {
    const src = sourceOf(story, who, 'PUT');
    later(story, t, {
      author: authorOf(who),
      summary: 'Settings changed',
      affectedObjects: [settings],
      changedValues: changes,
      client: src,
      method: src.method,
    });
  };
  // Field labels and values as contract/settings-fields.ts reads them.
  const gates = [...Object.values(GATE_LABELS), 'Rate limiting'];
  const auditOptions = AUDIT_OPTIONS.map((option) => option.label);
  settingsChange(
    windowStart + 10 * MINUTE,
    admin,
    SETTINGS,
    gates.map((field) => ({ field, from: 'Off', to: 'On' })),
  );
  settingsChange(
    windowStart + 25 * MINUTE,
    admin,
    SETTINGS,
    auditOptions.map((field) => ({ field, from: 'Off', to: 'On' })),
  );
  // Later changes: only settings that do not contradict the generated traffic.
  const tunables: SettingSpec[] = [
    { field: 'Requests per minute', values: ['60', '120', '300', '600'], current: '600' },
    { field: 'Burst', values: ['10', '20', '50', '100'], current: '100' },
    { field: 'Maximum validity', values: ['6 months', '1 year', '2 years'], current: '1 year' },
    { field: 'Force Read Only scope for regular users', values: ['Off', 'On'], current: 'Off' },
    { field: 'Expiry warning (days before expiry)', values: ['7', '14', '30'], current: '14' },
    {
      field: 'Who may create and delete API tokens for other users',
      values: ['jira-administrators', 'jira-administrators, operations'],
      current: 'jira-administrators',
    },
  ];
  const defaults = new Map(tunables.map((spec) => [spec.field, spec.current]));
  const tuneCount = scaled(story, 0.00018, 1);
  const tuneTimes = Array.from(
    { length: tuneCount },
    () => windowStart + 3 * HOUR + rng.float(0, 89 * DAY),
  ).sort((x, y) => x - y);
  for (const t of tuneTimes) {
    const spec = rng.pick(tunables);
    const to = rng.pick(spec.values.filter((v) => v !== spec.current));
    const change: ChangedValue = { field: spec.field, from: spec.current, to };
    spec.current = to;
    settingsChange(Math.floor(t), rng.chance(0.75) ? admin : rng.pick(people.admins), SETTINGS, [change]);
  }
  // The story ends with the admin restoring the product defaults (every audit option off, passwords and
  // other bearer authenticators allowed): the demo starts from them, so no authentication event follows.
  settingsChange(nowMs - 5 * MINUTE, admin, SETTINGS, [
    ...gates.map((field) => ({ field, from: 'On', to: 'Off' })),
    ...tunables
      .filter((spec) => spec.current !== defaults.get(spec.field))
      .map((spec) => ({ field: spec.field, from: spec.current, to: defaults.get(spec.field) ?? null })),
    ...auditOptions.map((field) => ({ field, from: 'On', to: 'Off' })),
  ]);
}

/** Log levels: the app logger set to INFO on both nodes, then short DEBUG sessions for troubleshooting. */
function logLevelStory(story: Story): void {
  const { rng, windowStart, people, admin } = story;
  const levelChange = (
    t: number,
    who: Person,
    logger: string,
    node: string,
    from: LogLevel | null,
    to: LogLevel | null,
  ) => {
    const src = { ...sourceOf(story, who, 'PUT'), nodeId: node };
    const ref = shared<AffectedObject>({ type: 'logger', id: logger, name: logger });
    later(story, t, {
      author: authorOf(who),
      category: LOGGING_CATEGORY,
      summary: 'Log level changed',
      affectedObjects: [ref],
      changedValues: [{ field: 'level', from, to }],
      client: src,
      method: src.method,
    });
  };
  for (const [i, node] of DEMO_NODES.entries())
    levelChange(windowStart + (40 + i) * MINUTE, admin, APP_LOGGERS.app, node, null, 'INFO');
  const configured: Record<string, LogLevel | null> = {
    [APP_LOGGERS.app]: 'INFO',
    [APP_LOGGERS.authService]: null,
    [APP_LOGGERS.rateLimiter]: null,
    'com.atlassian.jira.security': null,
  };
  const sessions = scaled(story, 0.0001, 1);
  const busyUntil = new Map<string, number>();
  const sessionStarts = Array.from({ length: sessions }, () =>
    Math.floor(windowStart + 3 * HOUR + rng.float(0, 88 * DAY)),
  );
  for (const t of sessionStarts.sort((x, y) => x - y)) {
    const logger = rng.pick(Object.keys(configured));
    const node = rng.pick(DEMO_NODES);
    // Sessions on the same logger and node never overlap, so every change starts from the level in force.
    if ((busyUntil.get(`${logger}@${node}`) ?? -Infinity) >= t) continue;
    const end = t + Math.floor(rng.float(20 * MINUTE, 6 * HOUR));
    busyUntil.set(`${logger}@${node}`, end);
    const from = configured[logger] ?? null;
    const who = rng.chance(0.8) ? admin : rng.pick(people.admins);
    levelChange(t, who, logger, node, from, 'DEBUG');
    levelChange(end, who, logger, node, 'DEBUG', from);
  }
}

/** The "API token created" record of a token. */
function created(story: Story, t: number, who: Person, token: StoredToken, refs: AffectedObject[]): void {
  const src = sourceOf(story, who, 'POST');
  const changes: ChangedValue[] = [
    { field: 'Description', from: null, to: token.description },
    { field: 'Scope', from: null, to: SCOPE_LABELS[token.scope] },
    { field: 'Expires', from: null, to: token.expiresAt ?? 'Never' },
  ];
  if (token.ipRestrictions.length)
    changes.push({ field: 'IP restrictions', from: null, to: token.ipRestrictions.join(', ') });
  later(story, t, {
    author: authorOf(who),
    summary: 'API token created',
    affectedObjects: refs,
    changedValues: changes,
    client: src,
    method: src.method,
    details: {
      tokenId: token.id,
      tokenDescription: token.description,
      scope: token.scope,
      username: token.ownerUsername,
    },
  });
}

/** Token lifecycle: creation of the existing tokens created within the window… */
function tokenCreations(story: Story): void {
  const { nowMs, windowStart, people, tokens } = story;
  for (const t of tokens.all) {
    if (t.createdMs > windowStart && t.createdMs <= nowMs) {
      created(story, t.createdMs, person(people, t.token.createdBy), t.token, t.refs);
    }
  }
}

/** …and tokens that no longer exist (deleted one by one, or all of a user's at once): one such token. */
function ghost(
  story: Story,
  owner: Person,
  createdMs: number,
): { token: StoredToken; refs: AffectedObject[] } {
  const { rng, ids } = story;
  const id = ids.next();
  const description = rng.chance(0.3)
    ? `API Token from ${iso(createdMs).slice(0, 10)}`
    : rng.pick(owner.service ? SERVICE_DESCRIPTIONS : HUMAN_DESCRIPTIONS);
  const expiresMs = rng.chance(0.3) ? null : createdMs + rng.pick([30, 90, 180, 365]) * DAY;
  const restriction = rng.chance(0.15) ? at(IP_RESTRICTION_PRESETS, rng.int(0, 7)).restrictions : [];
  const token: StoredToken = {
    id,
    ownerKey: owner.user.key,
    ownerUsername: owner.user.username,
    description,
    scope: rng.chance(0.55) ? 'READ_ONLY' : 'READ_WRITE',
    createdAt: iso(createdMs),
    createdBy: owner.user.username,
    expiresAt: expiresMs === null ? null : iso(expiresMs),
    lastUsedAt: null,
    lastUsedIp: null,
    ipRestrictions: [...restriction],
    secretHash: '',
    previousSecretHash: null,
    previousSecretExpiresAt: null,
  };
  const ref = shared<AffectedObject>({ type: 'token', id, name: description });
  return { token, refs: shared([owner.ref, ref]) };
}

/** Tokens deleted one by one, by their owner or an administrator. */
function deletedTokens(story: Story): void {
  const { rng, nowMs, windowStart, people } = story;
  const deletions = scaled(story, 0.0012, 2);
  for (let i = 0; i < deletions; i++) {
    const owner = people.owners.pick(rng.next());
    const createdMs = Math.floor(windowStart + rng.float(-200 * DAY, 88 * DAY));
    const deletedMs = Math.floor(
      Math.max(createdMs, windowStart + 3 * HOUR) + rng.float(10 * MINUTE, 30 * DAY),
    );
    if (deletedMs >= nowMs) continue;
    const g = ghost(story, owner, createdMs);
    if (createdMs > windowStart) created(story, createdMs, owner, g.token, g.refs);
    const who = owner.user.role === 'admin' || rng.chance(0.75) ? owner : rng.pick(people.admins);
    const src = sourceOf(story, who, 'DELETE');
    later(story, deletedMs, {
      author: authorOf(who),
      summary: 'API token deleted',
      affectedObjects: g.refs,
      client: src,
      method: src.method,
      details: {
        tokenId: g.token.id,
        tokenDescription: g.token.description,
        scope: g.token.scope,
        username: g.token.ownerUsername,
      },
    });
  }
}

/** All tokens of a user deleted (a leaver, or a suspected leak): only users whose current tokens are younger. */
function usersWipedOut(story: Story): void {
  const { rng, nowMs, windowStart, people, tokens, admin } = story;
  const firstTokenOf = new Map<Person, number>();
  for (const t of tokens.all)
    firstTokenOf.set(t.owner, Math.min(firstTokenOf.get(t.owner) ?? Infinity, t.createdMs));
  const candidates = people.all.filter(
    (p) => p.user.role === 'user' && !['jdoe', 'automation-user'].includes(p.user.username),
  );
  const wipes = scaled(story, 0.00003, 1);
  for (let i = 0, tries = 0; i < wipes && tries < 100; tries++) {
    const owner = rng.pick(candidates);
    const latest = Math.min(nowMs, firstTokenOf.get(owner) ?? Infinity) - HOUR;
    if (latest < windowStart + 4 * HOUR) continue;
    i++;
    const t = Math.floor(rng.float(windowStart + 4 * HOUR, latest));
    const ghosts = Array.from({ length: rng.int(2, 5) }, () => {
      const createdMs = Math.floor(t - rng.float(HOUR, 200 * DAY));
      const g = ghost(story, owner, createdMs);
      if (createdMs > windowStart) created(story, createdMs, owner, g.token, g.refs);
      return g;
    });
    const who = rng.chance(0.7) ? admin : rng.pick(people.admins);
    const src = sourceOf(story, who, 'DELETE');
    const affected = [owner.ref, ...ghosts.map((g) => at(g.refs, 1))];
    later(story, t, {
      author: authorOf(who),
      summary: 'All API tokens of a user deleted',
      affectedObjects: affected,
      changedValues: [{ field: 'API tokens', from: String(ghosts.length), to: '0' }],
      client: src,
      method: src.method,
      details: { username: owner.user.username },
    });
  }
}

/**
 * Existing tokens rotated and renamed, written by the backend's own record builders (a sub-stream of
 * their own: the records above stay as they were).
 */
function tokenChanges(story: Story): void {
  const { nowMs, windowStart, tokens, admin } = story;
  const rng = story.rng.fork('token-changes');
  const changed = (
    t: number,
    who: Person,
    method: string,
    endpoint: string,
    write: (s: AuditSource) => NewAuditRecord,
  ) => {
    const src = sourceOf({ ...story, rng }, who, method);
    story.pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        ...write({
          actor: who.user,
          // As the seed's other records: no credential named (console sessions of the past).
          credential: null,
          client: { clientIp: src.clientIp, proxyIp: src.proxyIp, nodeId: src.nodeId },
          method,
          endpoint,
          at: new Date(timestamp),
        }),
      }),
    });
  };
  const changes = scaled(story, 0.0006, 2);
  for (let i = 0; i < changes; i++) {
    const info = rng.pick(tokens.all);
    const from = Math.max(info.createdMs, windowStart) + HOUR;
    const to = nowMs - 2 * DAY;
    if (from >= to) continue;
    const t = Math.floor(rng.float(from, to));
    const who = rng.chance(0.8) ? info.owner : admin;
    const token = publicToken(info.token);
    const owner = info.owner.user;
    const tokenPath = `${BASE_PATH}/tokens/${token.id}`;
    if (i % 2 === 0) {
      const grace = rng.chance(0.5) ? new Date(t + DAY).toISOString() : null;
      changed(t, who, 'POST', `${tokenPath}/rotate`, (src) =>
        tokenRotatedRecord({ ...token, previousSecretExpiresAt: grace }, owner, src),
      );
    } else {
      const before = { ...token, description: `API Token from ${iso(info.createdMs).slice(0, 10)}` };
      if (before.description === token.description) continue;
      changed(t, who, 'PATCH', tokenPath, (src) => tokenUpdatedRecord(before, token, owner, src));
    }
  }
}

/** The seeded audit records: the authentication events, merged in time with the rare records. */
import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  FAILED_ATTEMPTS_INTERVAL_MS,
  type AffectedObject,
  type AuditEvent,
  type AuditRecord,
  type FailureReason,
} from '../../contract/audit';
import { DEMO_NODES } from '../../contract/logging';
import { outcomeOf } from '../../contract/histogram';
import { attemptSource } from '../../contract/ip';
import { weightedTable, type Rng, type WeightedTable } from './random';
import { AUDIT_WINDOW_DAYS, DAY, HOUR, MINUTE } from './constants';
import { type Endpoints, WRITE_METHODS, type WriteMethod, buildEndpoints } from './endpoints';
import { EMPTY, IsoFormatter, at, shared } from './helpers';
import type { IpPool } from './ips';
import { buildPendingRecords } from './rare-records';
import type { TokenIds, TokenInfo, Tokens } from './tokens';
import type { People } from './users';

const ANONYMOUS = shared({ username: null, displayName: ANONYMOUS_AUTHOR });

/** Authentication event kinds (plain numbers: cheap in the hot loop). */
const Auth = {
  Success: 0,
  FailedBasic: 1,
  FailedBearer: 2,
  FailedVerification: 3,
  PermissionDenied: 4,
} as const;
type Auth = (typeof Auth)[keyof typeof Auth];

const AUTH_EVENT_MIX = weightedTable<Auth>([
  [Auth.Success, 66],
  [Auth.FailedBasic, 9],
  [Auth.FailedBearer, 7],
  [Auth.FailedVerification, 12],
  [Auth.PermissionDenied, 6],
]);
const AUTH_SUMMARY: Record<Auth, AuditEvent> = {
  [Auth.Success]: 'Successful authentication',
  [Auth.FailedBasic]: 'Failed API token basic authentication attempt',
  [Auth.FailedBearer]: 'Failed API token bearer authentication attempt',
  [Auth.FailedVerification]: 'Failed API token verification',
  [Auth.PermissionDenied]: 'Permission denied',
};
const BASIC_REASONS = weightedTable<FailureReason>([
  ['WRONG_TOKEN', 70],
  ['IP_RESTRICTED', 15],
  ['EXPIRED_TOKEN', 15],
]);
/** Usernames brute-force clients try; they match no user. */
const UNKNOWN_USERNAMES = ['root', 'test', 'administrator', 'jira', 'admin1', 'guest', 'svc-jira'];
/** Office hours weigh more (UTC hours; the demo company is in Europe). */
// prettier-ignore
const HOUR_WEIGHT = [
  0.25, 0.22, 0.2, 0.2, 0.22, 0.3, 0.5, 0.8, 0.95, 1, 1, 0.95, 0.85, 0.95, 1, 0.95, 0.85, 0.65, 0.5, 0.4,
  0.35, 0.32, 0.3, 0.27,
];

/** A record that is not an authentication event (rare: token lifecycle, settings, log levels). */
export interface PendingRecord {
  t: number;
  build(id: string, timestamp: string): AuditRecord;
}

/** Per-day weighted tables of the tokens that are in use that day. */
interface DayTables {
  any: (WeightedTable<TokenInfo> | null)[];
  readOnly: (WeightedTable<TokenInfo> | null)[];
  restricted: (WeightedTable<TokenInfo> | null)[];
}

function buildDayTables(tokens: Tokens, windowStart: number, days: number): DayTables {
  const tables: DayTables = { any: [], readOnly: [], restricted: [] };
  for (let d = 0; d < days; d++) {
    const start = windowStart + d * DAY;
    const end = start + DAY;
    const inUse = tokens.all.filter((t) => t.createdMs < end && t.usedUntil >= start);
    const table = (list: TokenInfo[]) =>
      list.length ? weightedTable(list.map((t) => [t, t.weight] as const)) : null;
    tables.any.push(table(inUse));
    tables.readOnly.push(table(inUse.filter((t) => t.token.scope === 'READ_ONLY')));
    tables.restricted.push(table(inUse.filter((t) => t.token.ipRestrictions.length > 0)));
  }
  return tables;
}

/** A token in use at `t` from a day table (a few tries), or null. */
function tokenAt(rng: Rng, table: WeightedTable<TokenInfo> | null | undefined, t: number): TokenInfo | null {
  if (!table) return null;
  for (let tries = 0; tries < 8; tries++) {
    const token = table.pick(rng.next());
    if (token.createdMs <= t && t <= token.usedUntil) return token;
  }
  return null;
}

/** 'ar-' + the sequence number, zero-padded to 9 digits: ids sort as strings in the order of time. */
export function auditRecordId(sequence: number): string {
  const c = ID_CODES;
  for (let i = c.length - 1, n = sequence; i >= 3; i--, n = Math.floor(n / 10)) c[i] = 48 + (n % 10);
  // prettier-ignore
  return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!);
}
const ID_CODES = Uint16Array.from('ar-000000000', (c) => c.charCodeAt(0));

/**
 * `count` ascending timestamps in [start, end): hour by hour, weighted by time of day and weekday,
 * growing slightly over time, with random variation and a few bursts (scripts gone wild, attacks).
 * Each hour gets its share of the count, so no sort over the whole array is needed.
 */
function authTimes(rng: Rng, start: number, end: number, count: number): Float64Array {
  const hours = Math.max(1, Math.ceil((end - start) / HOUR));
  const weights = new Float64Array(hours);
  let total = 0;
  for (let i = 0; i < hours; i++) {
    const t = start + i * HOUR;
    const hour = Math.floor((t % DAY) / HOUR);
    const weekday = (Math.floor(t / DAY) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const w =
      at(HOUR_WEIGHT, hour) *
      (weekday === 0 || weekday === 6 ? 0.45 : 1) *
      (0.75 + (0.25 * i) / hours) *
      (0.6 + 0.8 * rng.next()) *
      (rng.next() < 0.01 ? 5 : 1);
    weights[i] = w;
    total += w;
  }
  const times = new Float64Array(count);
  let cumulative = 0;
  let filled = 0;
  for (let i = 0; i < hours; i++) {
    cumulative += weights[i] as number;
    const upTo = i === hours - 1 ? count : Math.round((cumulative / total) * count);
    const n = upTo - filled;
    if (n <= 0) continue;
    // n sorted uniform points in the hour, without sorting: normalised sums of exponential gaps.
    const bucketStart = start + i * HOUR;
    const bucketLength = Math.min(HOUR, end - bucketStart);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum -= Math.log(1 - rng.next());
      times[filled + k] = sum;
    }
    const scale = bucketLength / (sum - Math.log(1 - rng.next()));
    for (let k = 0; k < n; k++, filled++)
      times[filled] = bucketStart + Math.floor((times[filled] as number) * scale);
  }
  return times;
}

/**
 * The audit records, oldest first, `chunkSize` at a time (the last chunk may be shorter): a large data
 * set need not sit in memory whole. What they are drawn from is made at once (before the first chunk
 * is asked for), so the other sections of the data set may be built before the records are read.
 */
export function auditRecordChunks(
  rng: Rng,
  nowMs: number,
  count: number,
  people: People,
  tokens: Tokens,
  ips: IpPool,
  ids: TokenIds,
  chunkSize: number,
): Generator<AuditRecord[]> {
  const windowStart = nowMs - AUDIT_WINDOW_DAYS * DAY;
  /** Authentication events start after the admin switched audit logging on (see the settings story). */
  const authStart = windowStart + 2 * HOUR;
  const pending = buildPendingRecords(rng, nowMs, windowStart, count, people, tokens, ips, ids);
  pending.sort((a, b) => a.t - b.t);
  if (pending.length > count) pending.splice(0, pending.length - count);

  const authCount = count - pending.length;
  // ...and end before the admin restored the defaults, just before `now` (see the settings story).
  const times = authTimes(rng, authStart, nowMs - 10 * MINUTE, authCount);

  const endpoints = buildEndpoints(rng);
  const ctx: AuthContext = {
    rng,
    people,
    ips,
    endpoints,
    days: buildDayTables(tokens, windowStart, AUDIT_WINDOW_DAYS),
    expired: tokens.all.filter((t) => t.expiresMs < nowMs).sort((a, b) => a.expiresMs - b.expiresMs),
    windowStart,
    sources: new SourceCache(ips.proxyList),
    details: new DetailsCache(endpoints.all),
  };
  const aggregate = noisyAttemptsAggregator(new Set(ips.noisy));

  // Merge both sorted streams; ids follow chronological order.
  function* chunks(): Generator<AuditRecord[]> {
    const total = pending.length + authCount;
    const fmt = new IsoFormatter();
    let p = 0;
    let a = 0;
    for (let start = 0; start < total; start += chunkSize) {
      const chunk = new Array<AuditRecord>(Math.min(chunkSize, total - start));
      for (let i = 0; i < chunk.length; i++) {
        const id = auditRecordId(start + i + 1);
        const next = p < pending.length ? at(pending, p) : undefined;
        let record: AuditRecord;
        if (next && (a >= authCount || next.t <= (times[a] as number))) {
          record = next.build(id, fmt.format(next.t));
          p++;
        } else {
          const t = times[a] as number;
          // The first records cover every authentication event, whatever the mix picks later.
          const kind = a < 5 ? (a as Auth) : AUTH_EVENT_MIX.pick(rng.next());
          record = authRecord(ctx, kind, id, fmt.format(t), t);
          a++;
        }
        chunk[i] = aggregate(record);
      }
      yield chunk;
    }
  }
  return chunks();
}

/**
 * The backend aggregates repeated failed attempts of a source (one record says how many more came):
 * some of the noisy addresses' failed attempts (every 400th, oldest first) become such records, so
 * that the ids, times and the rest of the data set stay as they are.
 */
function noisyAttemptsAggregator(noisy: ReadonlySet<string>): (r: AuditRecord) => AuditRecord {
  let seen = 0;
  return (r) => {
    if (outcomeOf(r.summary) !== 'failed' || !r.source.clientIp || !noisy.has(r.source.clientIp)) return r;
    if (seen++ % 400 !== 0) return r;
    const to = Date.parse(r.timestamp);
    return {
      id: r.id,
      timestamp: r.timestamp,
      author: r.author,
      category: AUDIT_CATEGORY,
      summary: 'Further failed attempts',
      affectedObjects: [],
      changedValues: [],
      source: { ...r.source, method: null },
      details: {
        furtherAttempts: {
          count: 12 + (Math.floor(to / 1000) % 400),
          source: attemptSource(r.source.clientIp),
          from: new Date(to - FAILED_ATTEMPTS_INTERVAL_MS).toISOString(),
          to: r.timestamp,
        },
      },
    };
  };
}

interface AuthContext {
  rng: Rng;
  people: People;
  ips: IpPool;
  endpoints: Endpoints;
  days: DayTables;
  /** Expired tokens, by expiry ascending. */
  expired: TokenInfo[];
  windowStart: number;
  sources: SourceCache;
  details: DetailsCache;
}

type Source = AuditRecord['source'];
type Details = AuditRecord['details'];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;
const METHOD_INDEX: Record<WriteMethod, number> = { POST: 2, PUT: 3, DELETE: 4 };

/**
 * Shared, frozen `source` objects: there are only a few thousand distinct ones (address × proxy ×
 * node × method), and not allocating 100,000 of them keeps generation fast (fewer objects for the GC).
 */
class SourceCache {
  private readonly byIp = new Map<string, (Source | undefined)[]>();
  constructor(private readonly proxies: readonly (string | null)[]) {}

  get(clientIp: string, proxy: number, node: number, method: number): Source {
    let row = this.byIp.get(clientIp);
    if (!row) {
      row = [];
      this.byIp.set(clientIp, row);
    }
    const i = (proxy * DEMO_NODES.length + node) * METHODS.length + method;
    let source = row[i];
    if (!source) {
      source = shared({
        clientIp,
        proxyIp: this.proxies[proxy] ?? null,
        nodeId: at(DEMO_NODES, node),
        method: at(METHODS, method),
      });
      row[i] = source;
    }
    return source;
  }
}

/** Slots of the details cache: which reason (if any) the details carry. */
const SLOT: Record<FailureReason | 'NONE', number> = {
  NONE: 0,
  WRONG_TOKEN: 1,
  IP_RESTRICTED: 2,
  READ_ONLY_SCOPE: 3,
  EXPIRED_TOKEN: 4,
  NO_VALID_TOKEN: 5,
  TOKENS_NOT_ALLOWED: 6,
  // The real server's sign-in reasons (the demo has no password sign-in: never used here).
  WRONG_PASSWORD: 7,
  TOO_MANY_FAILURES: 8,
};
const SLOTS = 9;

/**
 * Shared, frozen `details` objects (same reason as SourceCache): one per token or username,
 * endpoint and reason. Arrays indexed by numbers, no string keys to build in the hot loop.
 */
class DetailsCache {
  private readonly byToken: (Details | undefined)[][] = [];
  private readonly byName = new Map<string, (Details | undefined)[]>();
  constructor(private readonly endpoints: readonly string[]) {}

  forToken(token: TokenInfo, endpoint: number, reason: FailureReason | null): Details {
    const row = (this.byToken[token.index] ??= []);
    const i = endpoint * SLOTS + SLOT[reason ?? 'NONE'];
    let details = row[i];
    if (!details) {
      const t = token.token;
      const e = at(this.endpoints, endpoint);
      details = shared(
        reason
          ? {
              tokenId: t.id,
              tokenDescription: t.description,
              scope: t.scope,
              endpoint: e,
              reason,
              username: t.ownerUsername,
            }
          : {
              tokenId: t.id,
              tokenDescription: t.description,
              scope: t.scope,
              endpoint: e,
              username: t.ownerUsername,
            },
      );
      row[i] = details;
    }
    return details;
  }

  /** username null: unknown (a failed bearer attempt). */
  forUser(username: string | null, endpoint: number, reason: FailureReason): Details {
    let row = this.byName.get(username ?? '');
    if (!row) {
      row = [];
      this.byName.set(username ?? '', row);
    }
    const i = endpoint * SLOTS + SLOT[reason];
    let details = row[i];
    if (!details) {
      const e = at(this.endpoints, endpoint);
      details = shared(username === null ? { endpoint: e, reason } : { endpoint: e, reason, username });
      row[i] = details;
    }
    return details;
  }
}

/** Every record is built here, so that all records have the same shape (and key order). */
function makeRecord(
  id: string,
  timestamp: string,
  summary: AuditEvent,
  affectedObjects: AffectedObject[],
  source: Source,
  details: Details,
): AuditRecord {
  return {
    id,
    timestamp,
    author: ANONYMOUS,
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects,
    changedValues: EMPTY,
    source,
    details,
  };
}

function authRecord(ctx: AuthContext, kind: Auth, id: string, timestamp: string, t: number): AuditRecord {
  const { rng, ips, endpoints } = ctx;
  const day = Math.min(AUDIT_WINDOW_DAYS - 1, Math.floor((t - ctx.windowStart) / DAY));
  const node = rng.next() < 0.5 ? 0 : 1;
  const proxy = ips.proxyIndex.pick(rng.next());

  if (kind === Auth.Success || kind === Auth.PermissionDenied) {
    const denied = kind === Auth.PermissionDenied;
    const token = tokenAt(rng, denied ? ctx.days.readOnly[day] : ctx.days.any[day], t);
    if (token) {
      let method = 0;
      let endpoint: number;
      if (denied || (token.token.scope === 'READ_WRITE' && rng.next() < 0.2)) {
        const write = WRITE_METHODS.pick(rng.next());
        method = METHOD_INDEX[write];
        endpoint = rng.pick(endpoints.writeIndex[write]);
      } else {
        if (rng.next() < 0.02) method = 1; // HEAD
        endpoint = endpoints.getIndex.pick(rng.next());
      }
      return makeRecord(
        id,
        timestamp,
        AUTH_SUMMARY[kind],
        token.refs,
        ctx.sources.get(rng.pick(token.ips), proxy, node, method),
        ctx.details.forToken(token, endpoint, denied ? 'READ_ONLY_SCOPE' : null),
      );
    }
    // No token in use at that moment: someone tried with a password instead.
    kind = Auth.FailedVerification;
  }

  const noisy = rng.next() < 0.45;
  const clientIp = noisy ? rng.pick(ips.noisy) : rng.pick(ips.clients);
  let method = 0;
  let endpoint: number;
  if (rng.next() < 0.15) {
    const write = WRITE_METHODS.pick(rng.next());
    method = METHOD_INDEX[write];
    endpoint = rng.pick(endpoints.writeIndex[write]);
  } else {
    endpoint = endpoints.getIndex.pick(rng.next());
  }
  const source = ctx.sources.get(clientIp, proxy, node, method);
  const summary = AUTH_SUMMARY[kind];

  if (kind === Auth.FailedBearer) {
    // The username can only be derived from a valid token: a failed bearer attempt has none.
    // IP_RESTRICTED here: the global IP restrictions refused the request before any token lookup.
    const reason: FailureReason = rng.next() < 0.15 ? 'IP_RESTRICTED' : 'WRONG_TOKEN';
    return makeRecord(id, timestamp, summary, EMPTY, source, ctx.details.forUser(null, endpoint, reason));
  }

  if (kind === Auth.FailedBasic) {
    const reason = BASIC_REASONS.pick(rng.next());
    if (reason === 'IP_RESTRICTED' || reason === 'EXPIRED_TOKEN') {
      const token =
        reason === 'IP_RESTRICTED' ? tokenAt(rng, ctx.days.restricted[day], t) : expiredAt(ctx, t);
      if (token) {
        return makeRecord(
          id,
          timestamp,
          summary,
          token.refs,
          source,
          ctx.details.forToken(token, endpoint, reason),
        );
      }
    }
    if (noisy && rng.next() < 0.3) {
      // Brute force with usernames that match no user.
      const details = ctx.details.forUser(rng.pick(UNKNOWN_USERNAMES), endpoint, 'WRONG_TOKEN');
      return makeRecord(id, timestamp, summary, EMPTY, source, details);
    }
    const who = ctx.people.attempts.pick(rng.next());
    const details = ctx.details.forUser(who.user.username, endpoint, 'WRONG_TOKEN');
    return makeRecord(id, timestamp, summary, who.refOnly, source, details);
  }

  // Failed API token verification: a password or another authenticator's token, not an API token.
  const who = ctx.people.attempts.pick(rng.next());
  const details = ctx.details.forUser(who.user.username, endpoint, 'NO_VALID_TOKEN');
  return makeRecord(id, timestamp, summary, who.refOnly, source, details);
}

/** An expired token (expired before `t`), or null. */
function expiredAt(ctx: AuthContext, t: number): TokenInfo | null {
  const list = ctx.expired;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(list, mid).expiresMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : at(list, ctx.rng.int(0, lo - 1));
}

/**
 * The deterministic demo data set: users, groups, API tokens, 100,000 audit records, loggers and
 * log entries, all derived from a random seed and an anchor time (`now`).
 *
 * Same `now` + `seed` + `auditRecordCount` ⇒ deep-equal output. Every section draws from its own
 * random sub-stream (`rng.fork(...)`), so that e.g. a different audit record count leaves the users
 * and tokens unchanged.
 *
 * Performance: the audit records are the bulk. Their timestamps are numbers (sorted as a
 * Float64Array), formatted to ISO strings by a day-cached formatter, and records share frozen
 * sub-objects (author, affected objects of a token, empty arrays) where they are equal.
 */
import { APP_LOGGERS, DEMO_NODES } from '../../contract/logging';
import type { DataSet } from '../../backend/store/port';
import { createRng, DEFAULT_SEED } from './random';
import type { AuditRecord } from '../../contract/audit';
import { auditRecordChunks } from './audit-records';
import { DEFAULT_AUDIT_RECORD_COUNT } from './constants';
import { buildIpPool } from './ips';
import { buildLogEntries, buildLoggers } from './logs';
import { TokenIds, buildTokens } from './tokens';
import { buildUsers } from './users';

export { DEFAULT_SEED } from './random';
export {
  AUDIT_WINDOW_DAYS,
  DEFAULT_AUDIT_RECORD_COUNT,
  EXPIRING_SOON_DAYS,
  LOG_WINDOW_DAYS,
} from './constants';
export { auditRecordId } from './audit-records';

export interface DemoDataOptions {
  /** The anchor time: every date of the data set is relative to it. */
  now: Date;
  seed?: number;
  /** Exact number of audit records (default 100,000). Very small counts (< ~500) may miss rare events. */
  auditRecordCount?: number;
}

export type DemoData = DataSet & {
  /**
   * Token id → plain secret. Kept ONLY so that the demo traffic generator can act as real clients
   * with valid tokens. The store never sees it (it holds `secretHash` only), and nothing may send it
   * to the console.
   */
  tokenSecrets: Map<string, string>;
};

export function generateDemoData(options: DemoDataOptions): DemoData {
  const count = auditRecordCountOf(options);
  const { data, auditChunks } = generateDemoDataInChunks(options, Math.max(1, count));
  const [oldestFirst = []] = auditChunks;
  return { ...data, auditRecords: oldestFirst.reverse() };
}

const auditRecordCountOf = (options: DemoDataOptions) =>
  Math.max(0, Math.floor(options.auditRecordCount ?? DEFAULT_AUDIT_RECORD_COUNT));

/**
 * The same data set with its audit records left out of `data` and given oldest first, `chunkSize`
 * at a time (their ids in order: 'ar-000000001' first), so that a data set of tens of millions of
 * records never sits in memory whole (the benchmarks load it chunk by chunk).
 */
export function generateDemoDataInChunks(
  options: DemoDataOptions,
  chunkSize: number,
): { data: DemoData; auditChunks: Generator<AuditRecord[]> } {
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('generateDemoData: invalid `now`');
  const rng = createRng(options.seed ?? DEFAULT_SEED);

  const ips = buildIpPool(rng.fork('ips'));
  const people = buildUsers(rng.fork('users'), ips);
  const ids = new TokenIds(rng.fork('token-ids'));
  const tokens = buildTokens(rng.fork('tokens'), rng.fork('secrets'), nowMs, people, ips, ids);
  const auditChunks = auditRecordChunks(
    rng.fork('audit'),
    nowMs,
    auditRecordCountOf(options),
    people,
    tokens,
    ips,
    ids,
    chunkSize,
  );
  const logEntries = buildLogEntries(rng.fork('logs'), nowMs, tokens, people, ips);

  const groups = [...new Set(people.all.flatMap((p) => p.user.groups))].sort();
  const tokenSecrets = new Map<string, string>();
  for (const t of tokens.all) tokenSecrets.set(t.token.id, t.secret);

  const data: DemoData = {
    users: people.all.map((p) => p.user),
    groups,
    tokens: tokens.all.map((t) => t.token),
    auditRecords: [],
    nodes: [...DEMO_NODES],
    loggers: buildLoggers(),
    // node-2 still runs the rate limiter at DEBUG from an earlier troubleshooting session, set in its
    // own log4j file: the Logging page shows where nodes differ.
    nodeLoggers: { 'node-2': [{ name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' }] },
    logEntries,
    tokenSecrets,
  };
  return { data, auditChunks };
}

import type { AuditRecord } from '../../contract/audit';
import { auditSearchTexts } from '../../contract/audit-query';
import { ipKey } from '../../contract/ip';
import type { LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
import { DEFAULT_SETTINGS, parseStoredSettings, type Settings } from '../../contract/settings';
import type { TokenScope } from '../../contract/tokens';
import type { Role, User } from '../../contract/users';
import type { LevelRevert, StoredIssue, StoredToken } from '../../backend/store/port';

// The rows of the SQLite tables (see migrations.ts) and what they are made from; the PostgreSQL store
// reads the same columns (postgres/migrations.ts).

export interface UserRow {
  key: string;
  username: string;
  display_name: string;
  email: string;
  groups_json: string;
  role: string;
}

export interface TokenRow {
  id: string;
  owner_key: string;
  owner_username: string;
  description: string;
  scope: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  ip_restrictions_json: string;
  secret_hash: string;
  previous_secret_hash: string | null;
  previous_secret_expires_at: string | null;
}

export interface SettingsRow {
  json: string;
  version: number;
  updated_at: string | null;
  updated_by: string | null;
}

export interface AuditRow {
  id: string;
  timestamp: string;
  summary: string;
  record_json: string;
}

export interface LogRow {
  id: string;
  record_json: string;
}

export function toUser(row: UserRow): User {
  return {
    key: row.key,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    groups: JSON.parse(row.groups_json) as string[],
    role: row.role as Role,
  };
}

/** The settings of the row; no row: the defaults, version 1. */
export function toSettings(row: SettingsRow | undefined): Settings {
  if (!row) return { ...structuredClone(DEFAULT_SETTINGS), version: 1, updatedAt: null, updatedBy: null };
  return {
    ...parseStoredSettings(JSON.parse(row.json)),
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function toToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    ownerKey: row.owner_key,
    ownerUsername: row.owner_username,
    description: row.description,
    scope: row.scope as TokenScope,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    ipRestrictions: JSON.parse(row.ip_restrictions_json) as string[],
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}

const epochMs = (value: string | null) => (value === null ? null : Date.parse(value));

export function tokenParams(t: StoredToken): unknown[] {
  return [
    t.id,
    t.ownerKey,
    t.ownerUsername,
    t.description,
    t.scope,
    t.createdAt,
    t.createdBy,
    t.expiresAt,
    t.lastUsedAt,
    t.lastUsedIp,
    JSON.stringify(t.ipRestrictions),
    t.secretHash,
    t.previousSecretHash,
    t.previousSecretExpiresAt,
    Date.parse(t.createdAt),
    epochMs(t.expiresAt),
    epochMs(t.lastUsedAt),
  ];
}

const lower = (value: string | null | undefined) => (value ?? '').toLowerCase();

/**
 * The texts the free-text filter searches (as `compileAuditFilter` lists them), lower-cased and
 * joined: a record whose texts contain the query contains it here too, so `instr` on this column can
 * only keep too many candidates, never too few (the contract tests probe every text of every record).
 */
export function searchText(record: AuditRecord): string {
  return auditSearchTexts(record).map(lower).join('\n');
}

/** The `ipKey` of an address, as SQLite stores it (a BLOB); null for none. */
export function ipKeyBlob(address: string | null): Buffer | null {
  const key = address ? ipKey(address) : null;
  return key && Buffer.from(key);
}

/** A record's sequence number, the digits of its id ('ar-000000042': 42), as the text index keeps it. */
export const auditSeq = (id: string) => Number(id.slice(3));

/** 'ar-000000042' from 42: the ids both stores give out (so that a database can move between them). */
export const counterId = (prefix: string, n: number) => `${prefix}-${String(n).padStart(9, '0')}`;

/** A record as the parameters of the SQLite store's `insertAudit`. */
export function auditParams(r: AuditRecord): unknown[] {
  return [
    r.id,
    r.timestamp,
    r.category,
    r.summary,
    r.author.username === null ? null : r.author.username.toLowerCase(),
    r.author.displayName.toLowerCase(),
    r.source.clientIp,
    ipKeyBlob(r.source.clientIp),
    ipKeyBlob(r.source.proxyIp),
    r.details.username ?? null,
    searchText(r),
    JSON.stringify(r),
  ];
}

export function logParams(e: LogEntry): unknown[] {
  return [e.id, e.timestamp, e.level, e.logger, e.node, JSON.stringify(e)];
}

export interface LevelRevertRow {
  name: string;
  revert_at: string;
  previous_json: string;
  set_by: string;
}

export const toLevelRevert = (row: LevelRevertRow): LevelRevert => ({
  name: row.name,
  revertAt: row.revert_at,
  previous: JSON.parse(row.previous_json) as LevelRevert['previous'],
  setBy: row.set_by,
});

/**
 * A node's loggers from its rows: those of every node first, then the node's own, which override
 * them in place.
 */
export function toLoggers(rows: readonly { name: string; level: LogLevel | null }[]): LoggerConfig[] {
  const levels = new Map<string, LogLevel | null>();
  for (const row of rows) levels.set(row.name, row.level);
  return [...levels].map(([name, configuredLevel]) => ({ name, configuredLevel }));
}

export interface IssueRow {
  id: number;
  key: string;
  project_key: string;
  issue_type_id: string;
  summary: string;
  description: string | null;
  reporter_key: string;
  reporter_username: string;
  created_at: string;
}

/** An issue id as text: the number's own text ('10000', never '010000' or '1e4'), as the memory adapter compares it. */
export const ISSUE_ID = /^[1-9]\d{0,15}$/;

export function toIssue(row: IssueRow): StoredIssue {
  return {
    id: String(row.id),
    key: row.key,
    projectKey: row.project_key,
    issueTypeId: row.issue_type_id,
    summary: row.summary,
    description: row.description,
    reporterKey: row.reporter_key,
    reporterUsername: row.reporter_username,
    createdAt: row.created_at,
  };
}

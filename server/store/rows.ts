import type { AuditRecord } from '../../contract/audit';
import { auditSearchTexts } from '../../contract/audit-query';
import type { LogEntry } from '../../contract/logging';
import type { TokenScope } from '../../contract/tokens';
import type { Role, User } from '../../contract/users';
import type { StoredIssue, StoredToken } from '../../backend/store/port';

// The rows of the SQLite tables (see migrations.ts) and what they are made from.

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
function searchText(record: AuditRecord): string {
  return auditSearchTexts(record).map(lower).join('\n');
}

/** Line breaks (and backslashes) escaped: a value of `objectsText` is one line. */
export const escapeLines = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

/**
 * '\n' + every affected object's id and name (escaped), each followed by '\n': a value is an id or
 * name exactly when '\n' + value + '\n' (escaped) occurs in it.
 */
function objectsText(record: AuditRecord): string {
  let text = '\n';
  for (const o of record.affectedObjects) text += `${escapeLines(o.id)}\n${escapeLines(o.name)}\n`;
  return text;
}

export function auditParams(r: AuditRecord): unknown[] {
  return [
    r.id,
    r.timestamp,
    r.category,
    r.summary,
    r.author.username === null ? null : r.author.username.toLowerCase(),
    r.author.displayName.toLowerCase(),
    r.source.clientIp,
    r.source.proxyIp,
    r.details.username ?? null,
    objectsText(r),
    searchText(r),
    JSON.stringify(r),
  ];
}

export function logParams(e: LogEntry): unknown[] {
  return [e.id, e.timestamp, e.level, e.logger, e.node, JSON.stringify(e)];
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

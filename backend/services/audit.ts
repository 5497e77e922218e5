import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  type AffectedObject,
  type AuditRecord,
  type ChangedValue,
} from '../../contract/audit';
import type { User } from '../../contract/users';
import { redactSecrets } from '../auth/secrets';
import type { NewAuditRecord, Store } from '../store/port';

/** Who an audit record names as its author: a user, or the server acting on its own ("Anonymous", …). */
export type AuditAuthor = AuditRecord['author'];

const ANONYMOUS: AuditAuthor = Object.freeze({ username: null, displayName: ANONYMOUS_AUTHOR });

/** A user as the author of a record. */
export const authorOf = (user: Pick<User, 'username' | 'displayName'>): AuditAuthor => ({
  username: user.username,
  displayName: user.displayName,
});

/** What one audit record says; `auditRecord` fills in the rest the same way for every record. */
export interface AuditEntry {
  summary: AuditRecord['summary'];
  /** Default: the API Token Authentication category. */
  category?: AuditRecord['category'];
  at: Date;
  /** Default: "Anonymous". */
  author?: AuditAuthor;
  /** Where the request came from (no client address: the server acted on its own). */
  client: { clientIp: string | null; proxyIp: string | null; nodeId: string };
  /** The request's method (null: no request). */
  method: string | null;
  affectedObjects?: AffectedObject[];
  changedValues?: ChangedValue[];
  details?: AuditRecord['details'];
}

/** The one way an audit record is built, whoever writes it (routes, the engine, the server's sign-in). */
export function auditRecord(entry: AuditEntry): NewAuditRecord {
  const { client } = entry;
  return {
    timestamp: entry.at.toISOString(),
    author: entry.author ?? ANONYMOUS,
    category: entry.category ?? AUDIT_CATEGORY,
    summary: entry.summary,
    affectedObjects: entry.affectedObjects ?? [],
    changedValues: entry.changedValues ?? [],
    source: {
      clientIp: client.clientIp,
      proxyIp: client.proxyIp,
      nodeId: client.nodeId,
      method: entry.method,
    },
    details: entry.details ?? {},
  };
}

/**
 * The one way the backend writes audit records: with every text shaped like a token secret redacted,
 * whatever field a client put it in (a Basic username, the path, a description, …), so that no
 * record, list or export holds a usable secret. Resolves once they are stored.
 */
export function appendAuditRecords(store: Store, records: NewAuditRecord[]): Promise<AuditRecord[]> {
  return store.appendAuditRecords(records.map(redactDeep));
}

/** `value` with every string redacted; the same object where nothing needed it (the usual case). */
function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, child] of Object.entries(value) as [string, unknown][]) {
    const redacted = redactDeep(child);
    if (redacted === child) continue;
    copy ??= (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string, unknown>;
    copy[key] = redacted;
  }
  return (copy ?? value) as T;
}

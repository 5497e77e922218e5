import type { AuditRecord } from '../../contract/audit';
import { redactSecrets } from '../auth/secrets';
import type { NewAuditRecord, Store } from '../store/port';

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

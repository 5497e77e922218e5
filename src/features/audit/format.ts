import type { AuditRecord } from '@contract/audit';
import { formatDateTime } from '@/lib/time';

export function timeZoneOf(zone: 'utc' | 'local'): string | undefined {
  return zone === 'utc' ? 'UTC' : undefined;
}

/** A timestamp with seconds and its zone, e.g. "25 Nov 2026, 14:02:07 UTC". */
export function formatTimestamp(iso: string, zone: 'utc' | 'local'): string {
  return formatDateTime(iso, timeZoneOf(zone), true);
}

export function authorLabel(record: AuditRecord): string {
  return record.author.username
    ? `${record.author.displayName} (${record.author.username})`
    : record.author.displayName;
}

export function affectedLabel(record: AuditRecord): string {
  return record.affectedObjects.map((o) => o.name).join(', ');
}

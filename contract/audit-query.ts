import { z } from 'zod';
import {
  AUDIT_CATEGORIES,
  AuditEventSchema,
  AuditRecordSchema,
  FAILURE_REASONS,
  type AuditRecord,
} from './audit';
import { ipEntryError, ipMatcher } from './ip';

const instant = z.iso
  .datetime({ error: 'Not a valid date and time (ISO 8601, UTC).' })
  // One form (with milliseconds), so that instants compare as text: 11:30:00Z is 11:30:00.000Z.
  .transform((value) => new Date(value).toISOString());

/**
 * The audit filters of the API: instants, not days (the console turns the days and zone the user
 * chose into instants). One definition of their meaning, `matchesAuditFilter`, serves every adapter.
 */
export const AuditFilterSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  category: z.enum(AUDIT_CATEGORIES).optional(),
  summary: z.array(AuditEventSchema).max(20).default([]),
  /** A username, a display name, or "Anonymous". */
  author: z.string().trim().min(1).max(255).optional(),
  /**
   * The username an authentication event names (its details; a failed attempt may name a user the
   * directory does not know), exactly: what the Overview's top users count.
   */
  username: z.string().trim().min(1).max(255).optional(),
  /** A user (key or username) or a token id among the affected objects. */
  object: z.string().trim().min(1).max(255).optional(),
  /** An address or CIDR range: the client or the load balancer/proxy address. */
  ip: z
    .string()
    .trim()
    .max(64)
    .refine((value) => ipEntryError(value) === null, 'Enter an IP address or a CIDR range.')
    .optional(),
  /** Free text over the summary, the details, the token description and the REST endpoint. */
  q: z.string().trim().min(1).max(255).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** `GET /audit/records`: the filters and a keyset page (newest first). */
export const AuditRecordsQuerySchema = AuditFilterSchema.extend({
  /** The id of the last record of the previous page. */
  cursor: z
    .string()
    .regex(/^[a-z]+-\d+$/, 'Not a valid cursor.')
    .optional(),
  /** Only records newer than this id (what the live banner counts). */
  after: z
    .string()
    .regex(/^[a-z]+-\d+$/, 'Not a valid record id.')
    .optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type AuditRecordsQuery = z.infer<typeof AuditRecordsQuerySchema>;

export const AuditRecordsPageSchema = z.object({
  records: z.array(AuditRecordSchema),
  nextCursor: z.string().nullable(),
});
export type AuditRecordsPage = z.infer<typeof AuditRecordsPageSchema>;

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const AuditExportQuerySchema = AuditFilterSchema.extend({ format: z.enum(AUDIT_EXPORT_FORMATS) });
/** The export's header that says how many records it holds (the console shows progress against it). */
export const EXPORT_TOTAL_HEADER = 'x-total-count';

const lower = (value: string | undefined | null) => (value ?? '').toLowerCase();

/**
 * The meaning of the filters, compiled once for a scan. Every adapter must answer exactly this (the
 * SQL adapter's WHERE clause is tested against it): time range inclusive; author case-insensitive
 * equal to the username or display name ("Anonymous" for authentication events); username equal to
 * the username the event names (case-sensitive, as usernames are stored); object equal to an
 * affected object's id or name; ip: the client or proxy address inside the range; q: a
 * case-insensitive substring of the summary, the token description, the endpoint, the username, the
 * failure reason or a changed value.
 */
export function compileAuditFilter(filter: AuditFilter): (record: AuditRecord) => boolean {
  const from = filter.from && new Date(filter.from).toISOString();
  const to = filter.to && new Date(filter.to).toISOString();
  const author = filter.author ? lower(filter.author) : null;
  const ipInRange = filter.ip ? ipMatcher([filter.ip]) : null;
  const q = filter.q ? lower(filter.q) : null;
  const summaries = filter.summary.length > 0 ? new Set<string>(filter.summary) : null;
  return (record) => {
    if (from && record.timestamp < from) return false;
    if (to && record.timestamp > to) return false;
    if (filter.category && record.category !== filter.category) return false;
    if (summaries && !summaries.has(record.summary)) return false;
    if (
      author !== null &&
      lower(record.author.username) !== author &&
      lower(record.author.displayName) !== author
    ) {
      return false;
    }
    if (filter.username && record.details.username !== filter.username) return false;
    if (
      filter.object &&
      !record.affectedObjects.some((o) => o.id === filter.object || o.name === filter.object)
    ) {
      return false;
    }
    if (ipInRange) {
      const { clientIp, proxyIp } = record.source;
      if (!(clientIp && ipInRange(clientIp)) && !(proxyIp && ipInRange(proxyIp))) return false;
    }
    if (q !== null && !auditSearchTexts(record).some((text) => lower(text).includes(q))) return false;
    return true;
  };
}

/** The texts the free-text filter searches: one list for every adapter (SQLite indexes the same). */
export function auditSearchTexts(record: AuditRecord): (string | null | undefined)[] {
  const { details } = record;
  return [
    record.summary,
    details.tokenDescription,
    details.endpoint,
    details.username,
    details.reason && FAILURE_REASONS[details.reason],
    ...record.changedValues.flatMap((c) => [c.field, c.from, c.to]),
  ];
}

export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  return compileAuditFilter(filter)(record);
}

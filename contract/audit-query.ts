import { z } from 'zod';
import { AuditEventSchema, AuditRecordSchema } from './audit';

/** `GET /audit/records`: filters, and keyset paging (newest first). */
export const AuditRecordsQuerySchema = z.object({
  summary: z.array(AuditEventSchema).default([]),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditRecordsQuery = z.infer<typeof AuditRecordsQuerySchema>;

export const AuditRecordsPageSchema = z.object({
  records: z.array(AuditRecordSchema),
  nextCursor: z.string().nullable(),
});
export type AuditRecordsPage = z.infer<typeof AuditRecordsPageSchema>;

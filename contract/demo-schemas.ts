import { z } from 'zod';
import type { DemoAccount } from './demo';
import { RoleSchema } from './user-schemas';

export const DemoAccountSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
}) satisfies z.ZodType<DemoAccount>;

/** `PUT /demo/session`: sign the demo in as one of its accounts. */
export const DemoSessionRequestSchema = z.object({ username: z.string().min(1) });

/** `POST /demo/traffic`: what one burst of demo REST requests did. */
export const DemoTrafficSummarySchema = z.object({
  requests: z.number().int(),
  /** Status code → how many requests got it. */
  byStatus: z.record(z.string(), z.number().int()),
  auditRecords: z.number().int(),
  logEntries: z.number().int(),
});
export type DemoTrafficSummary = z.infer<typeof DemoTrafficSummarySchema>;

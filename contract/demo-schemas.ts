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

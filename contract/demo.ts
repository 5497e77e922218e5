import { z } from 'zod';
import { RoleSchema, type Role } from './users';

/** The three demo accounts of the account switcher (demo mode only). */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'auditor', role: 'auditor' },
  { username: 'jdoe', role: 'user' },
];
export const DEFAULT_DEMO_USERNAME = 'admin';

export const DemoAccountSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
});
export type DemoAccount = z.infer<typeof DemoAccountSchema>;

/** `PUT /demo/session`: sign the demo in as one of its accounts. */
export const DemoSessionRequestSchema = z.object({ username: z.string().min(1) });
export type DemoSessionRequest = z.infer<typeof DemoSessionRequestSchema>;

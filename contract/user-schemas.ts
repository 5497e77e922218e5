import { z } from 'zod';
import { PERMISSIONS, ROLES, type Myself, type User } from './users';

export const RoleSchema = z.enum(ROLES);
export const PermissionSchema = z.enum(PERMISSIONS);

export const UserSchema = z.object({
  key: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  groups: z.array(z.string()),
  role: RoleSchema,
}) satisfies z.ZodType<User>;

/** `GET /myself`: the signed-in user. */
export const MyselfSchema = z.object({
  key: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  permissions: z.array(PermissionSchema),
  groups: z.array(z.string()),
}) satisfies z.ZodType<Myself>;

/** `GET /users?q=` and `GET /groups?q=`: the text to look for in the directory. */
export const DirectoryQuerySchema = z.object({ q: z.string().trim().max(255).optional() });

/** `POST /session` (the real server): sign in to the console. */
export const SignInRequestSchema = z
  .object({ username: z.string().min(1).max(255), password: z.string().min(1).max(1024) })
  .strict();

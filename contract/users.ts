import { z } from 'zod';

export const ROLES = ['admin', 'auditor', 'user'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  auditor: 'Auditor',
  user: 'User',
};

/** What a signed-in user may do. The backend checks these; the console only hides what they forbid. */
export const PERMISSIONS = [
  'settings:read',
  'settings:write',
  'tokens:own',
  'tokens:manage',
  'audit:read',
  'logging:read',
  'logging:write',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  auditor: ['settings:read', 'tokens:own', 'audit:read', 'logging:read'],
  user: ['tokens:own'],
};

/** The one rule that maps a role to its permissions. */
export function permissionsForRole(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}

export const UserSchema = z.object({
  key: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  groups: z.array(z.string()),
  role: RoleSchema,
});
export type User = z.infer<typeof UserSchema>;

/** `GET /myself`: the signed-in user. */
export const MyselfSchema = z.object({
  key: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  permissions: z.array(PermissionSchema),
});
export type Myself = z.infer<typeof MyselfSchema>;

// No zod here: roles and permissions are on the console's first screen, where every kilobyte counts.
// The schemas of these shapes are in user-schemas.ts.

export const ROLES = ['admin', 'auditor', 'user'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  auditor: 'Auditor',
  user: 'User',
};

/** What a signed-in user may do. The backend checks these; the console only hides what they forbid. */
export const PERMISSIONS = [
  'settings:read',
  'settings:write',
  /** See one's own tokens ("My API Tokens"). */
  'tokens:own',
  /** Edit and revoke one's own tokens. */
  'tokens:write',
  /** Create tokens for oneself. */
  'tokens:create',
  /** See, create and delete every user's tokens ("Token Manager"). */
  'tokens:manage',
  /** See every user's tokens without changing them (the Token Manager, read-only). */
  'tokens:read',
  'audit:read',
  'logging:read',
  'logging:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Every user's tokens only through tokens:manage, which the Permissions settings grant by group
  // ("manage other users' tokens"): tokens:read is the auditor's.
  admin: PERMISSIONS.filter((p) => p !== 'tokens:read'),
  // Auditors read everything and change nothing.
  auditor: ['settings:read', 'tokens:own', 'tokens:read', 'audit:read', 'logging:read'],
  user: ['tokens:own', 'tokens:write', 'tokens:create'],
};

/** Who may use, create, and manage tokens: the Permissions tab of the settings. */
export interface TokenGrants {
  useTokens: { everyone: boolean; groups: readonly string[] };
  createTokens: { everyone: boolean; groups: readonly string[] };
  manageOthersTokens: { groups: readonly string[] };
}

const granted = (user: Pick<User, 'groups'>, grant: { everyone?: boolean; groups: readonly string[] }) =>
  grant.everyone === true || user.groups.some((g) => grant.groups.includes(g));

/**
 * "Use API tokens": whether the user's tokens authenticate (the engine refuses the others) and the
 * user may see and change their own.
 */
export const mayUseTokens = (user: Pick<User, 'groups'>, grants: Pick<TokenGrants, 'useTokens'>) =>
  granted(user, grants.useTokens);

/**
 * The one rule that decides what a user may do: their role, narrowed by the token permissions of the
 * settings (who may use tokens, create them, and manage other users' tokens).
 */
export function permissionsFor(user: Pick<User, 'role' | 'groups'>, grants: TokenGrants): Permission[] {
  const canUse = mayUseTokens(user, grants);
  return ROLE_PERMISSIONS[user.role].filter((permission) => {
    switch (permission) {
      case 'tokens:own':
      case 'tokens:write':
        return canUse;
      case 'tokens:create':
        return canUse && granted(user, grants.createTokens);
      case 'tokens:manage':
        return granted(user, grants.manageOthersTokens);
      default:
        return true;
    }
  });
}

export interface User {
  key: string;
  username: string;
  displayName: string;
  email: string;
  groups: string[];
  role: Role;
}

/** `GET /myself`: the signed-in user. */
export interface Myself {
  key: string;
  username: string;
  displayName: string;
  role: Role;
  permissions: Permission[];
  /** The user's groups: the Permissions tab warns before a save that takes the user out of every group that may manage tokens. */
  groups: string[];
}

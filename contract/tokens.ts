import { z } from 'zod';

export const TOKEN_SCOPES = ['READ_ONLY', 'READ_WRITE'] as const;
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

/** The seed's labels for the two scopes. */
export const SCOPE_LABELS: Record<TokenScope, string> = {
  READ_ONLY: 'Read Only',
  READ_WRITE: 'Read & Write',
};

/** HTTP methods a Read Only token may use; anything else is answered 403 (Permission Denied). */
export const READ_ONLY_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/** Every secret starts with this, so that secret scanners can recognise a leaked token. */
export const TOKEN_SECRET_PREFIX = 'atc_';

export const TokenSchema = z.object({
  id: z.string(),
  ownerKey: z.string(),
  ownerUsername: z.string(),
  description: z.string(),
  scope: TokenScopeSchema,
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  /** null: never expires. */
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  lastUsedIp: z.string().nullable(),
  /** Addresses and CIDR ranges, IPv4 and IPv6; empty: any address. */
  ipRestrictions: z.array(z.string()),
});
export type Token = z.infer<typeof TokenSchema>;

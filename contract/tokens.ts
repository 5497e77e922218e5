import { z } from 'zod';
import { plainText } from './text';

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
/**
 * Anything shaped like one of our secrets: the prefix and at least 8 base62 characters (a shortened
 * or lengthened secret is still one).
 */
export const SECRET_SHAPED = new RegExp(`${TOKEN_SECRET_PREFIX}[0-9A-Za-z]{8,}`, 'g');

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
  /**
   * After a rotation with a grace period: until when the secret before it still authenticates
   * (null: no previous secret works, or the rotation stopped it at once).
   */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
});
export type Token = z.infer<typeof TokenSchema>;

// ---------------------------------------------------------------------------------------------
// Status: derived from the dates, never stored.

export const TOKEN_STATUSES = ['active', 'expiring', 'expired'] as const;
export const TokenStatusSchema = z.enum(TOKEN_STATUSES);
export type TokenStatus = z.infer<typeof TokenStatusSchema>;
export const STATUS_LABELS: Record<TokenStatus, string> = {
  active: 'Active',
  expiring: 'Expiring soon',
  expired: 'Expired',
};

const DAY_MS = 86_400_000;

/**
 * A token's status at `now`: expired from its expiry instant on; "expiring" while it expires within
 * `warningDays` days; `daysLeft` counts started days (1 ms left is "1 day"). Instants, not calendar
 * days: the answer is the same in every time zone.
 */
export function tokenStatus(
  token: Pick<Token, 'expiresAt'>,
  now: Date,
  warningDays: number,
): { status: TokenStatus; daysLeft: number | null } {
  if (token.expiresAt === null) return { status: 'active', daysLeft: null };
  const left = Date.parse(token.expiresAt) - now.getTime();
  if (left <= 0) return { status: 'expired', daysLeft: 0 };
  const daysLeft = Math.ceil(left / DAY_MS);
  return { status: left <= warningDays * DAY_MS ? 'expiring' : 'active', daysLeft };
}

/**
 * The list's status filter: a status, or "no expiry" (tokens that never expire; they are also active).
 * Ticked values are alternatives: a token matches if it matches any of them.
 */
export const TOKEN_STATUS_FILTERS = [...TOKEN_STATUSES, 'noExpiry'] as const;
export type TokenStatusFilter = (typeof TOKEN_STATUS_FILTERS)[number];
export const STATUS_FILTER_LABELS: Record<TokenStatusFilter, string> = {
  ...STATUS_LABELS,
  noExpiry: 'No expiry',
};

/** Whether a token matches the ticked status filters (none ticked: every token). */
export function matchesStatusFilter(
  token: Pick<Token, 'expiresAt'>,
  filters: readonly TokenStatusFilter[],
  now: Date,
  warningDays: number,
): boolean {
  if (filters.length === 0) return true;
  if (token.expiresAt === null && filters.includes('noExpiry')) return true;
  return filters.includes(tokenStatus(token, now, warningDays).status);
}

// ---------------------------------------------------------------------------------------------
// Sorting.

export const TOKEN_SORT_FIELDS = ['createdAt', 'expiresAt', 'lastUsedAt'] as const;
export type TokenSortField = (typeof TOKEN_SORT_FIELDS)[number];

/**
 * Where "Never" sorts, as the word means it: a token that never expires expires after every date; a
 * token never used was last used before every date. (Every token has a creation date.)
 */
export const NEVER_SORTS_AS: Record<TokenSortField, 'latest' | 'earliest'> = {
  createdAt: 'earliest',
  expiresAt: 'latest',
  lastUsedAt: 'earliest',
};

/** A token's sort key for a field: epoch milliseconds, or ±Infinity for "Never". */
export function tokenSortKey(token: Pick<Token, TokenSortField>, field: TokenSortField): number {
  const value = token[field];
  if (value === null) return NEVER_SORTS_AS[field] === 'latest' ? Infinity : -Infinity;
  return Date.parse(value);
}

// ---------------------------------------------------------------------------------------------
// Expiry bounds from the token policy.

/** Adds calendar months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** The latest expiry the policy allows for a token created at `now`; null: it may never expire. */
export function latestExpiry(
  maxValidity: { unit: 'never' } | { unit: 'months' | 'days'; value: number },
  now: Date,
): Date | null {
  if (maxValidity.unit === 'never') return null;
  if (maxValidity.unit === 'months') return addMonths(now, maxValidity.value);
  return new Date(now.getTime() + maxValidity.value * DAY_MS);
}

/** Clock skew between the console and the backend that an expiry at the very limit may have. */
export const EXPIRY_TOLERANCE_MS = 5 * 60_000;

// ---------------------------------------------------------------------------------------------
// Requests and responses.

export const DescriptionSchema = plainText(
  z.string().trim().min(1, 'Enter a description.').max(255, 'At most 255 characters.'),
  // Everyone who manages tokens reads descriptions: a secret there could be used by them.
).refine((value) => !value.match(SECRET_SHAPED), 'Remove the token secret: a description is not secret.');

export const TokenIpRestrictionsSchema = z.array(z.string()).max(100, 'At most 100 entries.');

export const CreateTokenRequestSchema = z.object({
  description: DescriptionSchema,
  scope: TokenScopeSchema,
  /** null: never expires (only where the policy allows it). */
  expiresAt: z.iso.datetime({ error: 'Choose a valid expiry date.' }).nullable(),
  ipRestrictions: TokenIpRestrictionsSchema,
  /** Token Manager only: whose token it is (default: the caller). */
  ownerKey: z.string().min(1).max(255).optional(),
});
export type CreateTokenRequest = z.infer<typeof CreateTokenRequestSchema>;

/** `POST /tokens` answers the token and its secret, once; the secret is never retrievable again. */
export const CreatedTokenSchema = z.object({ token: TokenSchema, secret: z.string() });
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

/**
 * `PATCH /tokens/{id}`: what to change, at least one field. The expiry is bounded by the policy as for
 * a new token (counted from now); changes are audited with old and new values.
 */
export const UpdateTokenRequestSchema = z
  .object({
    description: DescriptionSchema.optional(),
    expiresAt: CreateTokenRequestSchema.shape.expiresAt.optional(),
    ipRestrictions: TokenIpRestrictionsSchema.optional(),
  })
  .strict()
  .refine((request) => Object.values(request).some((value) => value !== undefined), {
    error: 'Send at least one of description, expiresAt and ipRestrictions.',
  });
export type UpdateTokenRequest = z.infer<typeof UpdateTokenRequestSchema>;

/** The longest a rotated token's previous secret may keep working: 7 days. */
export const MAX_GRACE_PERIOD_MINUTES = 7 * 24 * 60;

/** The grace periods the console offers (any whole number of minutes up to the maximum is accepted). */
export const GRACE_PERIODS: { minutes: number; label: string }[] = [
  { minutes: 0, label: 'Immediately' },
  { minutes: 60, label: 'After 1 hour' },
  { minutes: 24 * 60, label: 'After 1 day' },
  { minutes: MAX_GRACE_PERIOD_MINUTES, label: 'After 7 days' },
];

/**
 * `POST /tokens/{id}/rotate`: a new secret for the same token (id, owner, scope, expiry, IP
 * restrictions). The previous secret stops working at once, or after the grace period; a secret still
 * in the grace period of an earlier rotation stops at once. Answers like `POST /tokens`: the secret, once.
 */
export const RotateTokenRequestSchema = z
  .object({
    gracePeriodMinutes: z
      .number({ error: 'Give the grace period in minutes.' })
      .int('Give the grace period in whole minutes.')
      .min(0, 'The grace period cannot be negative.')
      .max(MAX_GRACE_PERIOD_MINUTES, 'At most 7 days (10080 minutes).')
      .default(0),
  })
  .strict();
export type RotateTokenRequest = z.infer<typeof RotateTokenRequestSchema>;

const isoDate = z.iso.datetime({ error: 'Not a valid date and time.' });

/** `GET /tokens`: filters, sort and page. Dates are instants; the console turns days into instants. */
export const TokenListQuerySchema = z.object({
  /** Token Manager: every user's tokens (needs tokens:manage); otherwise the caller's own. */
  all: z.boolean().default(false),
  owner: z.array(z.string().max(255)).max(50).default([]),
  q: z.string().trim().max(255).optional(),
  scope: TokenScopeSchema.optional(),
  status: z.array(z.enum(TOKEN_STATUS_FILTERS)).default([]),
  createdFrom: isoDate.optional(),
  createdTo: isoDate.optional(),
  lastUsedFrom: isoDate.optional(),
  lastUsedTo: isoDate.optional(),
  expiresFrom: isoDate.optional(),
  expiresTo: isoDate.optional(),
  /** Only tokens never used. */
  neverUsed: z.boolean().default(false),
  sort: z.enum(TOKEN_SORT_FIELDS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type TokenListQuery = z.infer<typeof TokenListQuerySchema>;

export const TokenPageSchema = z.object({
  tokens: z.array(TokenSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The expiry-warning window of the policy, for the "Expires in N days" badges. */
  expiryWarningDays: z.number().int(),
});
export type TokenPage = z.infer<typeof TokenPageSchema>;

/** `DELETE /users/{key}/tokens`: how many tokens of the user were revoked. */
export const DeletedTokensSchema = z.object({ deleted: z.number().int() });
export type DeletedTokens = z.infer<typeof DeletedTokensSchema>;

export const DirectoryUserSchema = z.object({
  key: z.string(),
  username: z.string(),
  displayName: z.string(),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

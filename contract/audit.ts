import { z } from 'zod';
import { TokenScopeSchema } from './tokens';

export const AUDIT_CATEGORY = 'API Token Authentication';
export const LOGGING_CATEGORY = 'Logging';
/** Console sign-ins of the real server, as Keycloak records LOGIN and LOGIN_ERROR. */
export const SIGN_IN_CATEGORY = 'Sign-in';
export const AUDIT_CATEGORIES = [AUDIT_CATEGORY, LOGGING_CATEGORY, SIGN_IN_CATEGORY] as const;

/** The summary ("event") of every audit record the app writes. */
export const AUDIT_EVENTS = [
  'Successful authentication',
  'Failed API token basic authentication attempt',
  'Failed API token bearer authentication attempt',
  'Failed API token verification',
  'Permission denied',
  'Further failed attempts',
  'API token created',
  'API token updated',
  'API token rotated',
  'API token deleted',
  'All API tokens of a user deleted',
  'Settings changed',
  'Log level changed',
  'User signed in',
  'Sign-in failed',
  'Sign-in temporarily locked',
] as const;
export const AuditEventSchema = z.enum(AUDIT_EVENTS);
export type AuditEvent = z.infer<typeof AuditEventSchema>;
/**
 * The events of the sign-in category: console sign-ins, failed ones, and the temporary lockouts of
 * brute-force detection (after repeated wrong passwords, on sign-in or in Basic authentication).
 * Only the real server signs in with passwords: the demo switches accounts instead.
 */
export const SIGN_IN_EVENTS = ['User signed in', 'Sign-in failed', 'Sign-in temporarily locked'] as const;

/** Why an authentication attempt failed, as recorded in the details. */
export const FAILURE_REASONS = {
  WRONG_TOKEN: 'Wrong token',
  IP_RESTRICTED: 'IP restriction',
  READ_ONLY_SCOPE: 'Read-only scope',
  EXPIRED_TOKEN: 'Expired token',
  NO_VALID_TOKEN: 'No valid API token was provided',
  /** The token's owner is not among who may use API tokens (Settings → Permissions). */
  TOKENS_NOT_ALLOWED: 'Not allowed to use API tokens',
  WRONG_PASSWORD: 'Wrong username or password',
  TOO_MANY_FAILURES: 'Too many failed sign-ins',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;
export const FailureReasonSchema = z.enum(
  Object.keys(FAILURE_REASONS) as [FailureReason, ...FailureReason[]],
);

/**
 * Repeated failed attempts from one source are aggregated (like syslog's "message repeated N times"):
 * in each interval the first ones are recorded one by one, then one "Further failed attempts" record
 * per source says how many more came.
 */
export const FAILED_ATTEMPTS_RECORDED_PER_SOURCE = 10;
export const FAILED_ATTEMPTS_INTERVAL_MS = 60_000;
/** The source of the attempts beyond the sources the backend follows at once. */
export const OTHER_SOURCES = 'other sources';

export const FurtherAttemptsSchema = z.object({
  count: z.number().int(),
  /** An IPv4 address, an IPv6 /64 network, or OTHER_SOURCES. */
  source: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
});
export type FurtherAttempts = z.infer<typeof FurtherAttemptsSchema>;

/** "120 further failed attempts from 203.0.113.9 between … and …", times as `time` writes them. */
export function furtherAttemptsText(
  f: FurtherAttempts,
  time: (iso: string) => string = (iso) => iso,
): string {
  return `${f.count} further failed attempt${f.count === 1 ? '' : 's'} from ${f.source} between ${time(f.from)} and ${time(f.to)}`;
}

/** Authentication events are written with this author, as the seed describes. */
export const ANONYMOUS_AUTHOR = 'Anonymous';

export const AffectedObjectSchema = z.object({
  type: z.enum(['user', 'token', 'settings', 'logger']),
  id: z.string(),
  name: z.string(),
});
export type AffectedObject = z.infer<typeof AffectedObjectSchema>;

export const ChangedValueSchema = z.object({
  field: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type ChangedValue = z.infer<typeof ChangedValueSchema>;

/**
 * How the author of a change proved who they were: signed in to the console, their password (Basic
 * authentication), or one of their API tokens. Recorded on token creation and deletion.
 */
export const CredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session') }),
  z.object({ kind: z.literal('password') }),
  z.object({ kind: z.literal('token'), tokenId: z.string() }),
]);
export type Credential = z.infer<typeof CredentialSchema>;

export function credentialLabel(credential: Credential): string {
  switch (credential.kind) {
    case 'session':
      return 'Signed in to the console';
    case 'password':
      return 'Password (Basic authentication)';
    case 'token':
      return `API token ${credential.tokenId}`;
  }
}

export const AuditRecordSchema = z.object({
  id: z.string(),
  timestamp: z.iso.datetime(),
  author: z.object({
    /** null for "Anonymous" authentication events. */
    username: z.string().nullable(),
    displayName: z.string(),
  }),
  category: z.enum(AUDIT_CATEGORIES),
  summary: AuditEventSchema,
  affectedObjects: z.array(AffectedObjectSchema),
  changedValues: z.array(ChangedValueSchema),
  source: z.object({
    clientIp: z.string().nullable(),
    /** Load balancer / proxy address, when the request came through one. */
    proxyIp: z.string().nullable(),
    nodeId: z.string(),
    method: z.string().nullable(),
  }),
  details: z.object({
    tokenId: z.string().optional(),
    tokenDescription: z.string().optional(),
    scope: TokenScopeSchema.optional(),
    endpoint: z.string().optional(),
    reason: FailureReasonSchema.optional(),
    /** A failed bearer attempt has no username: it can only be derived from a valid token. */
    username: z.string().optional(),
    credential: CredentialSchema.optional(),
    furtherAttempts: FurtherAttemptsSchema.optional(),
  }),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

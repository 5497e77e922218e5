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
  WRONG_PASSWORD: 'Wrong username or password',
  TOO_MANY_FAILURES: 'Too many failed sign-ins',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;
export const FailureReasonSchema = z.enum(
  Object.keys(FAILURE_REASONS) as [FailureReason, ...FailureReason[]],
);

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
  }),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

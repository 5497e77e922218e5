import { z } from 'zod';
import { TimeZoneSchema } from './histogram';
import { SETTINGS_FIELDS } from './settings-fields';
import { AuditLoggingSettingsSchema } from './settings';
import type { TokenStatus } from './tokens';

/** `GET /overview?tz=`: the zone whose days the 7-day chart follows. */
export const OverviewQuerySchema = z.object({ tz: TimeZoneSchema });

/** `GET /overview`: what administrators and auditors look at first. */
export const OverviewSchema = z.object({
  generatedAt: z.iso.datetime(),
  tokens: z.object({
    active: z.number(),
    expiring: z.number(),
    expired: z.number(),
    neverUsed: z.number(),
    /** Not expired, used once, but not in the last 90 days. */
    unused90Days: z.number(),
    expiryWarningDays: z.number(),
  }),
  failedAttempts: z.object({ last24h: z.number(), previous24h: z.number() }),
  permissionDenied24h: z.number(),
  topFailedIps: z.array(z.object({ value: z.string(), count: z.number() })),
  topFailedUsers: z.array(z.object({ value: z.string(), count: z.number() })),
  auditLogging: AuditLoggingSettingsSchema,
  /** The last change of what is audit-logged (its record), or null when none is kept. */
  auditLoggingChange: z.object({ recordId: z.string(), at: z.iso.datetime(), by: z.string() }).nullable(),
  gates: z.object({
    /** Basic authentication with regular passwords is allowed (option 2a unavailable). */
    basicPasswordsAllowed: z.boolean(),
    /** Bearer authentication with other authenticators is allowed (option 2b unavailable). */
    bearerOthersAllowed: z.boolean(),
  }),
  /** Failed attempts per day for the last 7 days, in the zone asked for. */
  failedDaily: z.array(z.object({ start: z.iso.datetime(), count: z.number() })),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const FAILED_EVENTS = [
  'Failed API token basic authentication attempt',
  'Failed API token bearer authentication attempt',
  'Failed API token verification',
  'Further failed attempts',
] as const;

/** The statuses "Unused for 90 days" counts: an expired token is counted as expired. */
export const UNUSED_STATUSES = ['active', 'expiring'] as const satisfies readonly TokenStatus[];

/**
 * The settings that decide what is audit-logged: the Audit Logging tab and the two authentication
 * switches its failed-attempt options depend on (the labels its change records carry).
 */
export const AUDIT_LOGGING_FIELDS: readonly string[] = SETTINGS_FIELDS.filter(
  (f) =>
    f.tab === 'audit-logging' ||
    f.path.join('.') === 'authentication.disableBasicAuthWithPasswords' ||
    f.path.join('.') === 'authentication.disableBearerWithOtherAuthenticators',
).map((f) => f.label);

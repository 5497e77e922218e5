import { z } from 'zod';
import { ipEntryError, normaliseIpEntry } from './ip';
import { plainText } from './text';

const ipEntry = z
  .string()
  .trim()
  .max(64, 'At most 64 characters.')
  .superRefine((value, ctx) => {
    const error = ipEntryError(value);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

export const IpRestrictionsSchema = z
  .array(ipEntry)
  .max(100, 'At most 100 entries.')
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      // 2001:db8::1 and 2001:DB8:0::1 are the same address.
      const canonical = normaliseIpEntry(entry);
      if (seen.has(canonical)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `${entry} is listed twice.` });
      }
      seen.add(canonical);
    });
  });

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number.` })
    // The range first: a huge number is "at most …", not "not a whole number".
    .min(min, `${label} must be at least ${min}.`)
    .max(max, `${label} must be at most ${max}.`)
    .int(`${label} must be a whole number.`);

/** Maximum validity of a token: never expires, or a number of months or days. */
export const MaxValiditySchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('never') }),
  z.object({ unit: z.literal('months'), value: wholeNumber('Months', 1, 120) }),
  z.object({ unit: z.literal('days'), value: wholeNumber('Days', 1, 3650) }),
]);
export type MaxValidity = z.infer<typeof MaxValiditySchema>;

export const AuthenticationSettingsSchema = z.object({
  disableBasicAuthWithPasswords: z.boolean(),
  disableBearerWithOtherAuthenticators: z.boolean(),
  ipRestrictions: IpRestrictionsSchema,
  rateLimit: z.object({
    enabled: z.boolean(),
    requestsPerMinute: wholeNumber('Requests per minute', 1, 100_000),
    burst: wholeNumber('Burst', 0, 100_000),
  }),
  tokenPolicy: z.object({
    maxValidity: MaxValiditySchema,
    forceReadOnlyForRegularUsers: z.boolean(),
    expiryWarningDays: wholeNumber('Expiry warning', 1, 365),
  }),
});
export type AuthenticationSettings = z.infer<typeof AuthenticationSettingsSchema>;

/** The same rule as a token description: group names reach audit records and CSV exports too. */
const groupName = plainText(z.string().min(1).max(255));
/** Everyone, or only members of the chosen groups. */
const GroupGrantSchema = z
  .object({ everyone: z.boolean(), groups: z.array(groupName).max(200) })
  .refine((grant) => grant.everyone || grant.groups.length > 0, {
    message: 'Choose at least one group, or allow everyone.',
    path: ['groups'],
  });

export const PermissionSettingsSchema = z.object({
  useTokens: GroupGrantSchema,
  createTokens: GroupGrantSchema,
  /** Only chosen groups may create and delete tokens for other users. */
  manageOthersTokens: z.object({ groups: z.array(groupName).min(1, 'Choose at least one group.').max(200) }),
});
export type PermissionSettings = z.infer<typeof PermissionSettingsSchema>;

export const AuditLoggingSettingsSchema = z.object({
  successfulAuthentication: z.boolean(),
  failedBasicAttempts: z.boolean(),
  failedBearerAttempts: z.boolean(),
  failedVerification: z.boolean(),
  permissionDenied: z.boolean(),
  retentionDays: wholeNumber('Retention', 1, 3650),
});
export type AuditLoggingSettings = z.infer<typeof AuditLoggingSettingsSchema>;

/** `PUT /settings` (with If-Match): the whole settings document. */
export const SettingsInputSchema = z.object({
  authentication: AuthenticationSettingsSchema,
  permissions: PermissionSettingsSchema,
  auditLogging: AuditLoggingSettingsSchema,
});
export type SettingsInput = z.infer<typeof SettingsInputSchema>;

/** `GET /settings`: the document and its version (also sent as the ETag). */
export const SettingsSchema = SettingsInputSchema.extend({
  version: z.number().int(),
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsEtag = (version: number) => `"settings-v${version}"`;

/** The settings of a new installation: every audit option off, passwords and other bearer authenticators allowed. */
export const DEFAULT_SETTINGS: SettingsInput = {
  authentication: {
    disableBasicAuthWithPasswords: false,
    disableBearerWithOtherAuthenticators: false,
    ipRestrictions: [],
    rateLimit: { enabled: false, requestsPerMinute: 600, burst: 100 },
    tokenPolicy: {
      maxValidity: { unit: 'months', value: 12 },
      forceReadOnlyForRegularUsers: false,
      expiryWarningDays: 14,
    },
  },
  permissions: {
    useTokens: { everyone: true, groups: [] },
    createTokens: { everyone: true, groups: [] },
    manageOthersTokens: { groups: ['jira-administrators'] },
  },
  auditLogging: {
    successfulAuthentication: false,
    failedBasicAttempts: false,
    failedBearerAttempts: false,
    failedVerification: false,
    permissionDenied: false,
    retentionDays: 90,
  },
};

/**
 * Settings as a store kept them, read with today's schema: a field added since they were written gets
 * its default (objects are filled in field by field), so that an existing database or demo storage
 * keeps working after a settings field is added. What the schema refuses is an error.
 */
export function parseStoredSettings(stored: unknown): SettingsInput {
  return SettingsInputSchema.parse(withDefaults(DEFAULT_SETTINGS, stored));
}

/** `stored`, with every field of `defaults` that it lacks, at any depth (arrays are values). */
function withDefaults(defaults: unknown, stored: unknown): unknown {
  if (stored === undefined) return defaults;
  if (!isObject(defaults) || !isObject(stored)) return stored;
  const filled: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(defaults)) filled[key] = withDefaults(value, stored[key]);
  return filled;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

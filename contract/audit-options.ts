import type { AuditLoggingSettings, AuthenticationSettings } from './settings';

export type AuditOptionKey = Exclude<keyof AuditLoggingSettings, 'retentionDays'>;
type Gate = 'disableBasicAuthWithPasswords' | 'disableBearerWithOtherAuthenticators';

export interface AuditOption {
  key: AuditOptionKey;
  /** The seed's exact label. */
  label: string;
  /** The authentication switch that must be on for this option to be available. */
  gate?: Gate;
}

/** The audit options of the Audit Logging tab, in the seed's order. All are off by default. */
export const AUDIT_OPTIONS: readonly AuditOption[] = [
  { key: 'successfulAuthentication', label: 'Successful Authentication' },
  {
    key: 'failedBasicAttempts',
    label: 'Audit-log failed API token basic authentication attempts',
    gate: 'disableBasicAuthWithPasswords',
  },
  {
    key: 'failedBearerAttempts',
    label: 'Audit-log failed API token bearer authentication attempts',
    gate: 'disableBearerWithOtherAuthenticators',
  },
  { key: 'failedVerification', label: 'Audit-log failed API token verification' },
  { key: 'permissionDenied', label: 'Permission Denied' },
];

export const FAILED_ATTEMPT_OPTIONS: readonly AuditOptionKey[] = [
  'failedBasicAttempts',
  'failedBearerAttempts',
  'failedVerification',
];

export const GATE_LABELS: Record<Gate, string> = {
  disableBasicAuthWithPasswords: 'Disable basic authentication with regular passwords',
  disableBearerWithOtherAuthenticators: 'Disable bearer authentication with other authenticators',
};

const UNAVAILABLE_REASONS: Record<Gate, string> = {
  disableBasicAuthWithPasswords:
    'Available only while basic authentication with regular passwords is disabled: while passwords are allowed, a wrong token may still be a valid password.',
  disableBearerWithOtherAuthenticators:
    'Available only while bearer authentication with other authenticators is disabled: while they are allowed, an unknown bearer token may belong to another authenticator.',
};

export type AuditOptionAvailability = { available: true } | { available: false; reason: string; gate: Gate };

export function auditOption(key: AuditOptionKey): AuditOption {
  const option = AUDIT_OPTIONS.find((o) => o.key === key);
  if (!option) throw new Error(`Unknown audit option ${key}`);
  return option;
}

/**
 * The one rule that decides whether an audit option can be turned on under the given authentication
 * settings. The console uses it to disable and explain; the backend to refuse.
 */
export function auditOptionAvailability(
  key: AuditOptionKey,
  authentication: Pick<AuthenticationSettings, Gate>,
): AuditOptionAvailability {
  const { gate } = auditOption(key);
  if (!gate || authentication[gate]) return { available: true };
  return { available: false, reason: UNAVAILABLE_REASONS[gate], gate };
}

/**
 * Resolves the audit options of a save from the saved state `previous` to the requested `next`:
 * - an option that was on and whose gate the save reopens is turned off (listed in `turnedOff`);
 * - an option the save turns on while it is unavailable is an error.
 */
export function resolveAuditOptions(
  previous: { authentication: AuthenticationSettings; auditLogging: AuditLoggingSettings },
  next: { authentication: AuthenticationSettings; auditLogging: AuditLoggingSettings },
): {
  auditLogging: AuditLoggingSettings;
  turnedOff: AuditOptionKey[];
  errors: Partial<Record<AuditOptionKey, string>>;
} {
  const auditLogging = { ...next.auditLogging };
  const turnedOff: AuditOptionKey[] = [];
  const errors: Partial<Record<AuditOptionKey, string>> = {};
  for (const { key } of AUDIT_OPTIONS) {
    if (!auditLogging[key]) continue;
    const availability = auditOptionAvailability(key, next.authentication);
    if (availability.available) continue;
    if (previous.auditLogging[key]) {
      auditLogging[key] = false;
      turnedOff.push(key);
    } else {
      errors[key] = `Cannot be turned on. ${availability.reason}`;
    }
  }
  return { auditLogging, turnedOff, errors };
}

/** The options a save would turn off: what the console confirms before saving. */
export function optionsTurnedOffBySave(
  previous: { authentication: AuthenticationSettings; auditLogging: AuditLoggingSettings },
  next: { authentication: AuthenticationSettings; auditLogging: AuditLoggingSettings },
): AuditOptionKey[] {
  return resolveAuditOptions(previous, next).turnedOff;
}

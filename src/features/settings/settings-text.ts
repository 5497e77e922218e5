import { AUDIT_OPTIONS, type AuditOptionKey } from '@contract/audit-options';
import type { AuditLoggingSettings } from '@contract/settings';

/** Anchors of the gate switches: the Audit Logging tab links to them. */
export const GATE_ANCHORS = {
  disableBasicAuthWithPasswords: 'disable-basic-auth',
  disableBearerWithOtherAuthenticators: 'disable-bearer-auth',
} as const;

const RECORDED_AS: Record<AuditOptionKey, string> = {
  successfulAuthentication: 'successful authentications',
  failedBasicAttempts: 'failed basic authentication attempts',
  failedBearerAttempts: 'failed bearer authentication attempts',
  failedVerification: 'failed token verifications (possibly many requests that are not token attempts)',
  permissionDenied: 'permission-denied events',
};

/** One line: what the audit log records with these choices. */
export function recordedSummary(auditLogging: AuditLoggingSettings): string {
  const on = AUDIT_OPTIONS.filter((o) => auditLogging[o.key]).map((o) => RECORDED_AS[o.key]);
  const always = 'token creation and deletion and settings changes (always recorded)';
  if (on.length === 0)
    return `With these choices the audit log records ${always}, and no authentication events.`;
  return `With these choices the audit log records ${always}, plus ${on.join(', ')}.`;
}

import { AUDIT_OPTIONS, auditOptionAvailability, type AuditOptionKey } from '@contract/audit-options';
import type { SettingsInput } from '@contract/settings';

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

/** The options that record events under these settings: on, and available under their gates. */
function recordedOptions(settings: SettingsInput): AuditOptionKey[] {
  return AUDIT_OPTIONS.filter(
    (o) => settings.auditLogging[o.key] && auditOptionAvailability(o.key, settings.authentication).available,
  ).map((o) => o.key);
}

/**
 * One line: what the audit log records with the draft. It says whether that is what is saved or what
 * the unsaved changes will make it (an option the draft's gate turns off is not counted, as the save
 * turns it off).
 */
export function recordedSummary(draft: SettingsInput, saved: SettingsInput): string {
  const on = recordedOptions(draft);
  const unsaved = on.join() !== recordedOptions(saved).join();
  const lead = unsaved ? 'After you save, the audit log will record' : 'The audit log records';
  const always = 'token creation and deletion and settings changes (always recorded)';
  if (on.length === 0) return `${lead} ${always}, and no authentication events.`;
  return `${lead} ${always}, plus ${on.map((key) => RECORDED_AS[key]).join(', ')}.`;
}

import type { ChangedValue } from './audit';
import { AUDIT_OPTIONS } from './audit-options';
import type { MaxValidity, SettingsInput } from './settings';

export type SettingsTab = 'authentication' | 'permissions' | 'audit-logging';

export const SETTINGS_TABS: readonly { id: SettingsTab; label: string }[] = [
  { id: 'authentication', label: 'Authentication' },
  { id: 'permissions', label: 'Permissions' },
  { id: 'audit-logging', label: 'Audit Logging' },
];

const onOff = (value: boolean) => (value ? 'On' : 'Off');
const list = (values: readonly string[]) => (values.length ? values.join(', ') : '(none)');
const grant = (g: { everyone: boolean; groups: readonly string[] }) =>
  g.everyone ? 'Everyone' : list(g.groups);

export function formatMaxValidity(validity: MaxValidity): string {
  if (validity.unit === 'never') return 'Never';
  if (validity.unit === 'months') {
    if (validity.value % 12 === 0) return validity.value === 12 ? '1 year' : `${validity.value / 12} years`;
    return `${validity.value} months`;
  }
  return validity.value === 1 ? '1 day' : `${validity.value} days`;
}

/**
 * Every setting with its label and how its value reads. One list serves the audit record of a change
 * (old → new), the console's "unsaved changes" and the conflict view.
 */
export const SETTINGS_FIELDS: readonly {
  tab: SettingsTab;
  label: string;
  read: (s: SettingsInput) => string;
}[] = [
  {
    tab: 'authentication',
    label: 'Disable basic authentication with regular passwords',
    read: (s) => onOff(s.authentication.disableBasicAuthWithPasswords),
  },
  {
    tab: 'authentication',
    label: 'Disable bearer authentication with other authenticators',
    read: (s) => onOff(s.authentication.disableBearerWithOtherAuthenticators),
  },
  {
    tab: 'authentication',
    label: 'Global IP restrictions',
    read: (s) => list(s.authentication.ipRestrictions),
  },
  { tab: 'authentication', label: 'Rate limiting', read: (s) => onOff(s.authentication.rateLimit.enabled) },
  {
    tab: 'authentication',
    label: 'Requests per minute',
    read: (s) => String(s.authentication.rateLimit.requestsPerMinute),
  },
  { tab: 'authentication', label: 'Burst', read: (s) => String(s.authentication.rateLimit.burst) },
  {
    tab: 'authentication',
    label: 'Maximum validity',
    read: (s) => formatMaxValidity(s.authentication.tokenPolicy.maxValidity),
  },
  {
    tab: 'authentication',
    label: 'Force Read Only scope for regular users',
    read: (s) => onOff(s.authentication.tokenPolicy.forceReadOnlyForRegularUsers),
  },
  {
    tab: 'authentication',
    label: 'Expiry warning (days before expiry)',
    read: (s) => String(s.authentication.tokenPolicy.expiryWarningDays),
  },
  { tab: 'permissions', label: 'Who may use API tokens', read: (s) => grant(s.permissions.useTokens) },
  { tab: 'permissions', label: 'Who may create API tokens', read: (s) => grant(s.permissions.createTokens) },
  {
    tab: 'permissions',
    label: 'Who may create and delete API tokens for other users',
    read: (s) => list(s.permissions.manageOthersTokens.groups),
  },
  ...AUDIT_OPTIONS.map((option) => ({
    tab: 'audit-logging' as const,
    label: option.label,
    read: (s: SettingsInput) => onOff(s.auditLogging[option.key]),
  })),
  {
    tab: 'audit-logging',
    label: 'Audit record retention (days)',
    read: (s) => String(s.auditLogging.retentionDays),
  },
];

/** What differs between two settings documents, as old → new values. */
export function settingsChanges(
  before: SettingsInput,
  after: SettingsInput,
): (ChangedValue & { tab: SettingsTab })[] {
  return SETTINGS_FIELDS.flatMap(({ tab, label, read }) => {
    const from = read(before);
    const to = read(after);
    return from === to ? [] : [{ tab, field: label, from, to }];
  });
}

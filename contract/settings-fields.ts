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
 * Every setting: its tab, its label, where it sits in the settings document (a list or a choice with its
 * parts is one setting) and how its value reads. One list serves the audit record of a change
 * (old → new), the console's "unsaved changes", the conflict view and the units a draft is re-applied
 * in after someone else's save.
 */
export const SETTINGS_FIELDS: readonly {
  tab: SettingsTab;
  label: string;
  path: readonly string[];
  read: (s: SettingsInput) => string;
}[] = [
  {
    tab: 'authentication',
    label: 'Disable basic authentication with regular passwords',
    path: ['authentication', 'disableBasicAuthWithPasswords'],
    read: (s) => onOff(s.authentication.disableBasicAuthWithPasswords),
  },
  {
    tab: 'authentication',
    label: 'Disable bearer authentication with other authenticators',
    path: ['authentication', 'disableBearerWithOtherAuthenticators'],
    read: (s) => onOff(s.authentication.disableBearerWithOtherAuthenticators),
  },
  {
    tab: 'authentication',
    label: 'Global IP restrictions',
    path: ['authentication', 'ipRestrictions'],
    read: (s) => list(s.authentication.ipRestrictions),
  },
  {
    tab: 'authentication',
    label: 'Rate limiting',
    path: ['authentication', 'rateLimit', 'enabled'],
    read: (s) => onOff(s.authentication.rateLimit.enabled),
  },
  {
    tab: 'authentication',
    label: 'Requests per minute',
    path: ['authentication', 'rateLimit', 'requestsPerMinute'],
    read: (s) => String(s.authentication.rateLimit.requestsPerMinute),
  },
  {
    tab: 'authentication',
    label: 'Burst',
    path: ['authentication', 'rateLimit', 'burst'],
    read: (s) => String(s.authentication.rateLimit.burst),
  },
  {
    tab: 'authentication',
    label: 'Maximum validity',
    path: ['authentication', 'tokenPolicy', 'maxValidity'],
    read: (s) => formatMaxValidity(s.authentication.tokenPolicy.maxValidity),
  },
  {
    tab: 'authentication',
    label: 'Force Read Only scope for regular users',
    path: ['authentication', 'tokenPolicy', 'forceReadOnlyForRegularUsers'],
    read: (s) => onOff(s.authentication.tokenPolicy.forceReadOnlyForRegularUsers),
  },
  {
    tab: 'authentication',
    label: 'Expiry warning (days before expiry)',
    path: ['authentication', 'tokenPolicy', 'expiryWarningDays'],
    read: (s) => String(s.authentication.tokenPolicy.expiryWarningDays),
  },
  {
    tab: 'permissions',
    label: 'Who may use API tokens',
    path: ['permissions', 'useTokens'],
    read: (s) => grant(s.permissions.useTokens),
  },
  {
    tab: 'permissions',
    label: 'Who may create API tokens',
    path: ['permissions', 'createTokens'],
    read: (s) => grant(s.permissions.createTokens),
  },
  {
    tab: 'permissions',
    label: 'Who may create and delete API tokens for other users',
    path: ['permissions', 'manageOthersTokens'],
    read: (s) => list(s.permissions.manageOthersTokens.groups),
  },
  ...AUDIT_OPTIONS.map((option) => ({
    tab: 'audit-logging' as const,
    label: option.label,
    path: ['auditLogging', option.key],
    read: (s: SettingsInput) => onOff(s.auditLogging[option.key]),
  })),
  {
    tab: 'audit-logging',
    label: 'Audit record retention (days)',
    path: ['auditLogging', 'retentionDays'],
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

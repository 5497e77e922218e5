import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseStoredSettings } from './settings';

describe('parseStoredSettings', () => {
  it('fills every field the stored settings lack with its default, at any depth', () => {
    expect(parseStoredSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(parseStoredSettings({ auditLogging: { successfulAuthentication: true } })).toEqual({
      ...DEFAULT_SETTINGS,
      auditLogging: { ...DEFAULT_SETTINGS.auditLogging, successfulAuthentication: true },
    });
  });

  it('keeps stored lists whole and a stored choice of another kind as it is', () => {
    const stored = {
      ...DEFAULT_SETTINGS,
      authentication: {
        ...DEFAULT_SETTINGS.authentication,
        ipRestrictions: ['10.0.0.0/8'],
        tokenPolicy: { ...DEFAULT_SETTINGS.authentication.tokenPolicy, maxValidity: { unit: 'never' } },
      },
      permissions: { ...DEFAULT_SETTINGS.permissions, manageOthersTokens: { groups: ['admins'] } },
    };
    expect(parseStoredSettings(stored)).toEqual(stored);
  });

  it('drops fields that no longer exist, and refuses values the schema refuses', () => {
    expect(parseStoredSettings({ ...DEFAULT_SETTINGS, retired: true })).toEqual(DEFAULT_SETTINGS);
    expect(() => parseStoredSettings({ auditLogging: { retentionDays: 'ninety' } })).toThrow();
    expect(() => parseStoredSettings(null)).toThrow();
  });
});

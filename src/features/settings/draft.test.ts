import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SettingsInput } from '@contract/settings';
import { draftErrors, rebaseDraft, sameSettings, saveConsequences } from './draft';

const base: SettingsInput = structuredClone(DEFAULT_SETTINGS);

function edit(settings: SettingsInput, change: (s: SettingsInput) => void): SettingsInput {
  const copy = structuredClone(settings);
  change(copy);
  return copy;
}

describe('rebaseDraft: my changes on top of someone else’s save', () => {
  it('keeps both sides when they changed different settings', () => {
    const mine = edit(base, (s) => (s.auditLogging.permissionDenied = true));
    const theirs = edit(base, (s) => (s.authentication.rateLimit.enabled = true));
    const rebased = rebaseDraft(base, mine, theirs);
    expect(rebased.auditLogging.permissionDenied).toBe(true);
    expect(rebased.authentication.rateLimit.enabled).toBe(true);
  });

  it('lets my change win where we both changed the same setting', () => {
    const mine = edit(base, (s) => (s.authentication.rateLimit.burst = 5));
    const theirs = edit(base, (s) => (s.authentication.rateLimit.burst = 50));
    expect(rebaseDraft(base, mine, theirs).authentication.rateLimit.burst).toBe(5);
  });

  it('treats a list as one value', () => {
    const mine = edit(base, (s) => (s.authentication.ipRestrictions = ['10.0.0.0/8']));
    const theirs = edit(base, (s) => (s.authentication.ipRestrictions = ['192.0.2.1']));
    expect(rebaseDraft(base, mine, theirs).authentication.ipRestrictions).toEqual(['10.0.0.0/8']);
  });

  it('is the latest settings when I changed nothing', () => {
    const theirs = edit(base, (s) => (s.auditLogging.retentionDays = 30));
    expect(sameSettings(rebaseDraft(base, base, theirs), theirs)).toBe(true);
  });
});

describe('draftErrors', () => {
  it('names the field of each invalid value', () => {
    const bad = edit(base, (s) => {
      s.authentication.rateLimit.requestsPerMinute = 0;
      s.authentication.ipRestrictions = ['10.0.0.300'];
      s.auditLogging.retentionDays = Number.NaN;
    });
    const errors = draftErrors(bad);
    expect(errors['authentication.rateLimit.requestsPerMinute']).toBe(
      'Requests per minute must be at least 1.',
    );
    expect(errors['authentication.ipRestrictions.0']).toMatch(/not a valid IP address/);
    expect(errors['auditLogging.retentionDays']).toBe('Retention must be a number.');
  });

  it('is empty for valid settings', () => {
    expect(draftErrors(base)).toEqual({});
  });
});

describe('saveConsequences: what a save takes away', () => {
  const admins = ['jira-administrators', 'api-users'];

  it('names the administrator losing token management when no group of theirs is left', () => {
    const draft = edit(base, (s) => (s.permissions.manageOthersTokens.groups = ['auditors']));
    expect(saveConsequences(base, draft, admins)).toEqual({ turnedOff: [], losesTokenManagement: true });
  });

  it('does not warn while one of their groups stays, or when they never managed tokens', () => {
    const kept = edit(base, (s) => (s.permissions.manageOthersTokens.groups = ['api-users', 'auditors']));
    expect(saveConsequences(base, kept, admins).losesTokenManagement).toBe(false);
    const other = edit(base, (s) => (s.permissions.manageOthersTokens.groups = ['auditors']));
    expect(saveConsequences(base, other, ['developers']).losesTokenManagement).toBe(false);
  });

  it('lists the audit options the save turns off', () => {
    const saved = edit(base, (s) => {
      s.authentication.disableBasicAuthWithPasswords = true;
      s.auditLogging.failedBasicAttempts = true;
    });
    const draft = edit(saved, (s) => (s.authentication.disableBasicAuthWithPasswords = false));
    expect(saveConsequences(saved, draft, admins).turnedOff).toEqual(['failedBasicAttempts']);
  });
});

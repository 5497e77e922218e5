import { describe, expect, it } from 'vitest';
import {
  auditOptionAvailability,
  optionsTurnedOffBySave,
  resolveAuditOptions,
  type AuditOptionKey,
} from './audit-options';
import { DEFAULT_SETTINGS, type AuditLoggingSettings, type AuthenticationSettings } from './settings';

const BASIC_REASON =
  'Available only while basic authentication with regular passwords is disabled: while passwords are allowed, a wrong token may still be a valid password.';
const BEARER_REASON =
  'Available only while bearer authentication with other authenticators is disabled: while they are allowed, an unknown bearer token may belong to another authenticator.';

type Gates = Pick<
  AuthenticationSettings,
  'disableBasicAuthWithPasswords' | 'disableBearerWithOtherAuthenticators'
>;

const gates = (passwords: 'allowed' | 'disabled', otherBearer: 'allowed' | 'disabled'): Gates => ({
  disableBasicAuthWithPasswords: passwords === 'disabled',
  disableBearerWithOtherAuthenticators: otherBearer === 'disabled',
});

/** A settings state for resolveAuditOptions: the given gates and audit options, the rest default. */
function state(gateValues: Gates, options: Partial<AuditLoggingSettings> = {}) {
  return {
    authentication: { ...DEFAULT_SETTINGS.authentication, ...gateValues },
    auditLogging: { ...DEFAULT_SETTINGS.auditLogging, ...options },
  };
}

const ALL_OPTIONS_ON: Partial<AuditLoggingSettings> = {
  successfulAuthentication: true,
  failedBasicAttempts: true,
  failedBearerAttempts: true,
  failedVerification: true,
  permissionDenied: true,
};

type Expected = { available: true } | { available: false; gate: keyof Gates; reason: string };
const AVAILABLE: Expected = { available: true };
const NEEDS_PASSWORDS_DISABLED: Expected = {
  available: false,
  gate: 'disableBasicAuthWithPasswords',
  reason: BASIC_REASON,
};
const NEEDS_OTHER_BEARER_DISABLED: Expected = {
  available: false,
  gate: 'disableBearerWithOtherAuthenticators',
  reason: BEARER_REASON,
};

/** Every combination of the two gates, and what each audit option is under it. */
const AVAILABILITY_TABLE: {
  passwords: 'allowed' | 'disabled';
  otherBearer: 'allowed' | 'disabled';
  expected: Record<AuditOptionKey, Expected>;
}[] = [
  {
    passwords: 'allowed',
    otherBearer: 'allowed',
    expected: {
      successfulAuthentication: AVAILABLE,
      failedBasicAttempts: NEEDS_PASSWORDS_DISABLED,
      failedBearerAttempts: NEEDS_OTHER_BEARER_DISABLED,
      failedVerification: AVAILABLE,
      permissionDenied: AVAILABLE,
    },
  },
  {
    passwords: 'disabled',
    otherBearer: 'allowed',
    expected: {
      successfulAuthentication: AVAILABLE,
      failedBasicAttempts: AVAILABLE,
      failedBearerAttempts: NEEDS_OTHER_BEARER_DISABLED,
      failedVerification: AVAILABLE,
      permissionDenied: AVAILABLE,
    },
  },
  {
    passwords: 'allowed',
    otherBearer: 'disabled',
    expected: {
      successfulAuthentication: AVAILABLE,
      failedBasicAttempts: NEEDS_PASSWORDS_DISABLED,
      failedBearerAttempts: AVAILABLE,
      failedVerification: AVAILABLE,
      permissionDenied: AVAILABLE,
    },
  },
  {
    passwords: 'disabled',
    otherBearer: 'disabled',
    expected: {
      successfulAuthentication: AVAILABLE,
      failedBasicAttempts: AVAILABLE,
      failedBearerAttempts: AVAILABLE,
      failedVerification: AVAILABLE,
      permissionDenied: AVAILABLE,
    },
  },
];

const AVAILABILITY_CASES = AVAILABILITY_TABLE.flatMap(({ passwords, otherBearer, expected }) =>
  Object.entries(expected).map(([key, availability]) => ({
    passwords,
    otherBearer,
    key: key as AuditOptionKey,
    availability,
  })),
);

describe('auditOptionAvailability', () => {
  it('covers all 4 gate combinations × 5 options', () => {
    expect(AVAILABILITY_CASES).toHaveLength(20);
  });

  it.each(AVAILABILITY_CASES)(
    'passwords $passwords, other bearer authenticators $otherBearer: $key → $availability.available',
    ({ passwords, otherBearer, key, availability }) => {
      expect(auditOptionAvailability(key, gates(passwords, otherBearer))).toEqual(availability);
    },
  );

  it('explains, for an unavailable option, which setting must be changed', () => {
    const result = auditOptionAvailability('failedBasicAttempts', gates('allowed', 'disabled'));
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toMatch(/basic authentication with regular passwords is disabled/);
    expect(result.reason).toMatch(/a wrong token may still be a valid password/);
  });
});

describe('resolveAuditOptions', () => {
  const closed = gates('disabled', 'disabled');
  const open = gates('allowed', 'allowed');

  it('passes unchanged available options as they are', () => {
    const previous = state(closed, ALL_OPTIONS_ON);
    const result = resolveAuditOptions(previous, state(closed, ALL_OPTIONS_ON));
    expect(result).toEqual({ auditLogging: previous.auditLogging, turnedOff: [], errors: {} });
  });

  it('passes the always-available options while both gates are open', () => {
    const options = { successfulAuthentication: true, failedVerification: true, permissionDenied: true };
    const result = resolveAuditOptions(state(open), state(open, options));
    expect(result.auditLogging).toEqual({ ...DEFAULT_SETTINGS.auditLogging, ...options });
    expect(result.turnedOff).toEqual([]);
    expect(result.errors).toEqual({});
  });

  it('turns off the basic-attempts option when passwords are allowed again', () => {
    const previous = state(closed, { failedBasicAttempts: true, failedBearerAttempts: true });
    const next = state(gates('allowed', 'disabled'), {
      failedBasicAttempts: true,
      failedBearerAttempts: true,
    });
    const result = resolveAuditOptions(previous, next);
    expect(result.turnedOff).toEqual(['failedBasicAttempts']);
    expect(result.auditLogging.failedBasicAttempts).toBe(false);
    expect(result.auditLogging.failedBearerAttempts).toBe(true);
    expect(result.errors).toEqual({});
  });

  it('turns off the bearer-attempts option when other bearer authenticators are allowed again', () => {
    const previous = state(closed, { failedBearerAttempts: true });
    const result = resolveAuditOptions(
      previous,
      state(gates('disabled', 'allowed'), { failedBearerAttempts: true }),
    );
    expect(result.turnedOff).toEqual(['failedBearerAttempts']);
    expect(result.auditLogging.failedBearerAttempts).toBe(false);
    expect(result.errors).toEqual({});
  });

  it('turns off both gated options, in the tab order, when both gates reopen', () => {
    const previous = state(closed, ALL_OPTIONS_ON);
    const result = resolveAuditOptions(previous, state(open, ALL_OPTIONS_ON));
    expect(result.turnedOff).toEqual(['failedBasicAttempts', 'failedBearerAttempts']);
    expect(result.auditLogging).toEqual({
      ...DEFAULT_SETTINGS.auditLogging,
      ...ALL_OPTIONS_ON,
      failedBasicAttempts: false,
      failedBearerAttempts: false,
    });
    expect(optionsTurnedOffBySave(previous, state(open, ALL_OPTIONS_ON))).toEqual([
      'failedBasicAttempts',
      'failedBearerAttempts',
    ]);
  });

  it('refuses to turn on an option that is unavailable, with the reason', () => {
    const result = resolveAuditOptions(state(open), state(open, { failedBasicAttempts: true }));
    expect(result.errors).toEqual({ failedBasicAttempts: `Cannot be turned on. ${BASIC_REASON}` });
    expect(result.turnedOff).toEqual([]);
  });

  it('refuses both gated options when both are turned on with the gates open', () => {
    const result = resolveAuditOptions(
      state(open),
      state(open, { failedBasicAttempts: true, failedBearerAttempts: true }),
    );
    expect(result.errors).toEqual({
      failedBasicAttempts: `Cannot be turned on. ${BASIC_REASON}`,
      failedBearerAttempts: `Cannot be turned on. ${BEARER_REASON}`,
    });
  });

  it('allows closing a gate and turning on its option in the same save', () => {
    const result = resolveAuditOptions(
      state(open),
      state(gates('disabled', 'allowed'), { failedBasicAttempts: true }),
    );
    expect(result.errors).toEqual({});
    expect(result.turnedOff).toEqual([]);
    expect(result.auditLogging.failedBasicAttempts).toBe(true);
  });

  it('does not modify the requested settings', () => {
    const next = state(open, ALL_OPTIONS_ON);
    resolveAuditOptions(state(closed, ALL_OPTIONS_ON), next);
    expect(next.auditLogging.failedBasicAttempts).toBe(true);
    expect(next.auditLogging.failedBearerAttempts).toBe(true);
  });

  it('reports nothing to confirm when a save reopens a gate whose option is off', () => {
    expect(optionsTurnedOffBySave(state(closed), state(open))).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { generateSecret, hashSecret } from '../backend/auth/secrets';
import {
  addMonths,
  CreateTokenRequestSchema,
  DescriptionSchema,
  latestExpiry,
  TOKEN_SECRET_PREFIX,
  tokenStatus,
} from './tokens';

const DAY_MS = 86_400_000;
/** A night when clocks change in Europe: a calendar-day rule would show it. */
const NOW = new Date('2026-03-29T01:30:00.000Z');
const expiresIn = (ms: number) => ({ expiresAt: new Date(NOW.getTime() + ms).toISOString() });

describe('tokenStatus', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  const cases = [
    { left: 'no expiry', token: { expiresAt: null }, status: 'active', daysLeft: null },
    { left: '14 days + 1 ms', token: expiresIn(14 * DAY_MS + 1), status: 'active', daysLeft: 15 },
    { left: 'exactly 14 days', token: expiresIn(14 * DAY_MS), status: 'expiring', daysLeft: 14 },
    { left: '1 day + 1 ms', token: expiresIn(DAY_MS + 1), status: 'expiring', daysLeft: 2 },
    { left: 'exactly 1 day', token: expiresIn(DAY_MS), status: 'expiring', daysLeft: 1 },
    { left: '1 ms', token: expiresIn(1), status: 'expiring', daysLeft: 1 },
    { left: '0 ms', token: expiresIn(0), status: 'expired', daysLeft: 0 },
    { left: 'a day ago', token: expiresIn(-DAY_MS), status: 'expired', daysLeft: 0 },
  ] as const;

  it.each(cases)(
    'with $left left and a 14-day warning: $status, $daysLeft days',
    ({ token, status, daysLeft }) => {
      expect(tokenStatus(token, NOW, 14)).toEqual({ status, daysLeft });
    },
  );

  it.each(['UTC', 'Europe/Berlin', 'Pacific/Auckland', 'America/Los_Angeles'])(
    'answers the same in time zone %s',
    (zone) => {
      process.env.TZ = zone;
      for (const { token, status, daysLeft } of cases) {
        expect(tokenStatus(token, NOW, 14)).toEqual({ status, daysLeft });
      }
    },
  );

  it('follows the warning window of the policy', () => {
    const token = expiresIn(20 * DAY_MS);
    expect(tokenStatus(token, NOW, 14).status).toBe('active');
    expect(tokenStatus(token, NOW, 20).status).toBe('expiring');
    expect(tokenStatus(token, NOW, 30).status).toBe('expiring');
  });
});

describe('addMonths', () => {
  it.each([
    { from: '2026-01-31T10:00:00.000Z', months: 1, to: '2026-02-28T10:00:00.000Z' },
    { from: '2028-01-31T10:00:00.000Z', months: 1, to: '2028-02-29T10:00:00.000Z' },
    { from: '2026-03-31T23:59:59.999Z', months: 1, to: '2026-04-30T23:59:59.999Z' },
    { from: '2026-12-15T12:00:00.000Z', months: 1, to: '2027-01-15T12:00:00.000Z' },
    { from: '2026-12-31T00:00:00.000Z', months: 2, to: '2027-02-28T00:00:00.000Z' },
    { from: '2028-02-29T08:00:00.000Z', months: 12, to: '2029-02-28T08:00:00.000Z' },
    { from: '2026-11-25T12:00:00.000Z', months: 120, to: '2036-11-25T12:00:00.000Z' },
    { from: '2026-03-31T00:00:00.000Z', months: -1, to: '2026-02-28T00:00:00.000Z' },
  ])('$from + $months months = $to', ({ from, months, to }) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(to);
  });

  it('does not change the date it is given', () => {
    const date = new Date('2026-01-31T10:00:00.000Z');
    addMonths(date, 1);
    expect(date.toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });
});

describe('latestExpiry', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  it.each([
    { policy: { unit: 'never' } as const, latest: null },
    { policy: { unit: 'months', value: 12 } as const, latest: '2027-11-25T12:00:00.000Z' },
    { policy: { unit: 'months', value: 3 } as const, latest: '2027-02-25T12:00:00.000Z' },
    { policy: { unit: 'days', value: 90 } as const, latest: '2027-02-23T12:00:00.000Z' },
    { policy: { unit: 'days', value: 1 } as const, latest: '2026-11-26T12:00:00.000Z' },
  ])('$policy.unit $policy.value: $latest', ({ policy, latest }) => {
    expect(latestExpiry(policy, now)?.toISOString() ?? null).toBe(latest);
  });
});

describe('DescriptionSchema', () => {
  it.each([
    { value: '', error: 'Enter a description.' },
    { value: '   ', error: 'Enter a description.' },
    { value: 'x'.repeat(256), error: 'At most 255 characters.' },
    { value: 'line\nbreak', error: 'Remove line breaks and control characters.' },
    { value: 'tab\there', error: 'Remove line breaks and control characters.' },
    { value: 'bell\u0007', error: 'Remove line breaks and control characters.' },
    { value: 'delete\u007fme', error: 'Remove line breaks and control characters.' },
  ])('refuses $value: "$error"', ({ value, error }) => {
    const result = DescriptionSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(error);
  });

  it.each([
    { value: 'CI pipeline', parsed: 'CI pipeline' },
    { value: '  CI pipeline  ', parsed: 'CI pipeline' },
    { value: 'x'.repeat(255), parsed: 'x'.repeat(255) },
    { value: ` ${'x'.repeat(255)} `, parsed: 'x'.repeat(255) },
    // Whitespace around the text is trimmed away before the control-character check.
    { value: 'Old script\n', parsed: 'Old script' },
    { value: 'Jenkins – Überwachung 🚀', parsed: 'Jenkins – Überwachung 🚀' },
  ])('accepts "$value" as "$parsed"', ({ value, parsed }) => {
    expect(DescriptionSchema.parse(value)).toBe(parsed);
  });
});

describe('CreateTokenRequestSchema', () => {
  const valid = {
    description: 'Deploy bot',
    scope: 'READ_ONLY',
    expiresAt: '2027-01-01T00:00:00.000Z',
    ipRestrictions: ['10.0.0.0/8'],
  };

  it.each([
    { name: 'a complete request', body: valid },
    { name: 'no expiry', body: { ...valid, expiresAt: null } },
    { name: 'no IP restrictions', body: { ...valid, ipRestrictions: [] } },
    { name: 'a token for another user', body: { ...valid, ownerKey: 'U3' } },
    { name: 'an instant without milliseconds', body: { ...valid, expiresAt: '2027-01-01T00:00:00Z' } },
    { name: 'Read & Write', body: { ...valid, scope: 'READ_WRITE' } },
  ])('accepts $name', ({ body }) => {
    expect(CreateTokenRequestSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    { name: 'a missing description', body: { ...valid, description: undefined }, field: 'description' },
    { name: 'an unknown scope', body: { ...valid, scope: 'ADMIN' }, field: 'scope' },
    { name: 'a date without time', body: { ...valid, expiresAt: '2027-01-01' }, field: 'expiresAt' },
    {
      name: 'a time with an offset (send UTC instants)',
      body: { ...valid, expiresAt: '2027-01-01T00:00:00+02:00' },
      field: 'expiresAt',
    },
    { name: 'a missing expiry', body: { ...valid, expiresAt: undefined }, field: 'expiresAt' },
    {
      name: '101 IP entries',
      body: { ...valid, ipRestrictions: Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`) },
      field: 'ipRestrictions',
    },
    { name: 'an empty owner', body: { ...valid, ownerKey: '' }, field: 'ownerKey' },
  ])('refuses $name at "$field"', ({ body, field }) => {
    const result = CreateTokenRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it('says "Choose a valid expiry date." for an expiry that is not a date', () => {
    const result = CreateTokenRequestSchema.safeParse({ ...valid, expiresAt: 'next week' });
    expect(result.error?.issues[0]?.message).toBe('Choose a valid expiry date.');
  });

  it('trims the description', () => {
    expect(CreateTokenRequestSchema.parse({ ...valid, description: '  Deploy bot ' }).description).toBe(
      'Deploy bot',
    );
  });
});

describe('token secrets', () => {
  it('start with the recognisable prefix and 40 base62 characters (44 in all)', () => {
    const secret = generateSecret();
    expect(TOKEN_SECRET_PREFIX).toBe('atc_');
    expect(secret.startsWith(TOKEN_SECRET_PREFIX)).toBe(true);
    expect(secret).toHaveLength(44);
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
  });

  it('differ from call to call', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateSecret()));
    expect(secrets.size).toBe(100);
  });

  it('come from the injected random source (for the deterministic demo seed)', () => {
    const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);
    expect(generateSecret(counting)).toBe(`atc_${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd'}`);
  });

  it('are stored as a SHA-256 hex hash, never as themselves', () => {
    const secret = generateSecret();
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toBe(hashSecret(generateSecret()));
  });
});

import { describe, expect, it } from 'vitest';
import { EXPIRY_TOLERANCE_MS } from '@contract/tokens';
import { dayBoundary, formatDate, localDay } from '@/lib/time';
import { customDayBounds, EXPIRY_CHOICES, expiryOf, expiryProblem } from './expiry';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The end of August: six months later is February, which has no 31st. */
const NOW = new Date('2026-08-31T10:15:00.000Z');
const plus = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
/** A policy of at most one year, from NOW. */
const ONE_YEAR = '2027-08-31T10:15:00.000Z';

describe('EXPIRY_CHOICES', () => {
  it('offers the presets, a custom date and never, in that order', () => {
    expect(EXPIRY_CHOICES.map((c) => c.label)).toEqual([
      '7 days',
      '30 days',
      '90 days',
      '6 months',
      '1 year',
      'Custom date',
      'Never',
    ]);
  });
});

describe('expiryOf', () => {
  it.each([
    ['7d', '2026-09-07T10:15:00.000Z'],
    ['30d', '2026-09-30T10:15:00.000Z'],
    ['90d', '2026-11-29T10:15:00.000Z'],
    // Calendar months, clamped to the last day of the month.
    ['6m', '2027-02-28T10:15:00.000Z'],
    ['1y', '2027-08-31T10:15:00.000Z'],
  ] as const)('%s from the end of August is %s', (choice, expected) => {
    expect(expiryOf(choice, '', NOW, null)).toBe(expected);
  });

  it('ignores a custom day for a preset', () => {
    expect(expiryOf('7d', '2030-01-01', NOW, null)).toBe(plus(7 * DAY_MS));
  });

  it('a custom date is the last millisecond of that day in the local zone', () => {
    const expiresAt = expiryOf('custom', '2026-10-15', NOW, ONE_YEAR);
    expect(expiresAt).toBe(dayBoundary('2026-10-15', 'end'));
    const local = new Date(expiresAt!);
    expect(localDay(expiresAt!)).toBe('2026-10-15');
    expect([local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds()]).toEqual([
      23, 59, 59, 999,
    ]);
    // One millisecond later the next day has started.
    expect(localDay(new Date(local.getTime() + 1).toISOString())).toBe('2026-10-16');
  });

  it('a custom date not chosen yet (or not a date) is undefined', () => {
    expect(expiryOf('custom', '', NOW, ONE_YEAR)).toBeUndefined();
    expect(expiryOf('custom', '15.10.2026', NOW, ONE_YEAR)).toBeUndefined();
  });

  it("the policy's last day may be chosen: it expires at the policy's limit that day", () => {
    const lastDay = localDay(ONE_YEAR);
    expect(expiryOf('custom', lastDay, NOW, ONE_YEAR)).toBe(ONE_YEAR);
    expect(expiryProblem('custom', lastDay, NOW, ONE_YEAR)).toBeNull();
    expect(customDayBounds(NOW, ONE_YEAR).max).toBe(lastDay);
  });

  it('never is null', () => {
    expect(expiryOf('never', '', NOW, null)).toBeNull();
    expect(expiryOf('never', '2026-10-15', NOW, null)).toBeNull();
  });
});

describe('expiryProblem', () => {
  it('accepts every preset within a one-year policy', () => {
    for (const choice of ['7d', '30d', '90d', '6m', '1y'] as const) {
      expect(expiryProblem(choice, '', NOW, ONE_YEAR)).toBeNull();
    }
  });

  it('accepts a custom date within the policy', () => {
    expect(expiryProblem('custom', '2027-01-15', NOW, ONE_YEAR)).toBeNull();
  });

  it('asks for a date while the custom date is empty, on the date field', () => {
    expect(expiryProblem('custom', '', NOW, ONE_YEAR)).toEqual({ field: 'day', message: 'Choose a date.' });
  });

  it('refuses a custom date in the past, on the date field; today is allowed (it ends tonight)', () => {
    const past = { field: 'day', message: 'Choose today or a later day.' };
    expect(expiryProblem('custom', '2026-08-01', NOW, ONE_YEAR)).toEqual(past);
    expect(expiryProblem('custom', '2026-08-01', NOW, null)).toEqual(past);
    expect(expiryProblem('custom', localDay(NOW.toISOString()), NOW, ONE_YEAR)).toBeNull();
  });

  it('refuses an expiry beyond the latest the policy allows: a custom date on its field, a preset on the choice', () => {
    expect(expiryProblem('custom', '2027-09-15', NOW, ONE_YEAR)).toEqual({
      field: 'day',
      message: `Longer than the token policy allows: ${formatDate(ONE_YEAR)} at the latest.`,
    });
    const thirtyDays = plus(30 * DAY_MS);
    expect(expiryProblem('90d', '', NOW, thirtyDays)).toEqual({
      field: 'choice',
      message: 'Longer than the token policy allows.',
    });
    expect(expiryProblem('30d', '', NOW, thirtyDays)).toBeNull();
  });

  it('tolerates a few minutes of clock skew at the limit, and no more', () => {
    expect(EXPIRY_TOLERANCE_MS).toBe(5 * MINUTE_MS);
    const sevenDays = 7 * DAY_MS;
    expect(expiryProblem('7d', '', NOW, plus(sevenDays - 4 * MINUTE_MS))).toBeNull();
    expect(expiryProblem('7d', '', NOW, plus(sevenDays - EXPIRY_TOLERANCE_MS))).toBeNull();
    expect(expiryProblem('7d', '', NOW, plus(sevenDays - EXPIRY_TOLERANCE_MS - 1))?.message).toBe(
      'Longer than the token policy allows.',
    );
  });

  it('refuses never when the policy limits the validity, and allows it when it does not', () => {
    expect(expiryProblem('never', '', NOW, ONE_YEAR)).toEqual({
      field: 'choice',
      message: 'The token policy does not allow tokens that never expire.',
    });
    expect(expiryProblem('never', '', NOW, null)).toBeNull();
  });

  it('allows any future date when the policy has no limit', () => {
    expect(expiryProblem('custom', '2099-12-31', NOW, null)).toBeNull();
    expect(expiryProblem('1y', '', NOW, null)).toBeNull();
  });
});

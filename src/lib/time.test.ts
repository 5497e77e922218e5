import { afterEach, describe, expect, it } from 'vitest';
import { dayBoundary, formatDate, formatDateTime, localDay } from './time';

const DAY_MS = 86_400_000;

describe('formatDateTime', () => {
  it('names the zone it formats in', () => {
    expect(formatDateTime('2026-11-25T14:02:00.000Z', 'UTC')).toBe('25 Nov 2026, 14:02 UTC');
  });

  it('shows the wall-clock time of the zone, with its short name (summer and winter)', () => {
    expect(formatDateTime('2026-07-25T14:02:00.000Z', 'Europe/Berlin')).toBe('25 Jul 2026, 16:02 CEST');
    expect(formatDateTime('2026-01-25T14:02:00.000Z', 'Europe/Berlin')).toBe('25 Jan 2026, 15:02 CET');
  });

  it('shows seconds only when asked to', () => {
    expect(formatDateTime('2026-11-25T14:02:09.000Z', 'UTC', true)).toBe('25 Nov 2026, 14:02:09 UTC');
    expect(formatDateTime('2026-11-25T14:02:09.000Z', 'UTC')).toBe('25 Nov 2026, 14:02 UTC');
  });

  it('uses a 24-hour clock', () => {
    expect(formatDateTime('2026-11-25T23:59:00.000Z', 'UTC')).toBe('25 Nov 2026, 23:59 UTC');
    expect(formatDateTime('2026-11-26T00:05:00.000Z', 'UTC')).toBe('26 Nov 2026, 00:05 UTC');
  });

  it('in the browser zone by default, naming that zone too', () => {
    const formatted = formatDateTime('2026-11-25T14:02:00.000Z');
    expect(formatted).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \S+/);
    // The zone name follows the time: never a bare time that the reader cannot place.
    expect(formatted.split(' ').length).toBeGreaterThanOrEqual(5);
  });
});

describe('formatDate', () => {
  it('is the calendar day in the given zone', () => {
    expect(formatDate('2026-11-25T23:30:00.000Z', 'UTC')).toBe('25 Nov 2026');
    expect(formatDate('2026-11-25T23:30:00.000Z', 'Asia/Tokyo')).toBe('26 Nov 2026');
  });
});

describe('dayBoundary', () => {
  it('the start of a day is local midnight and its end the last millisecond of that day', () => {
    const start = dayBoundary('2026-11-25', 'start')!;
    const end = dayBoundary('2026-11-25', 'end')!;
    expect(start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const s = new Date(start);
    const e = new Date(end);
    expect([s.getFullYear(), s.getMonth(), s.getDate()]).toEqual([2026, 10, 25]);
    expect([s.getHours(), s.getMinutes(), s.getSeconds(), s.getMilliseconds()]).toEqual([0, 0, 0, 0]);
    expect([e.getFullYear(), e.getMonth(), e.getDate()]).toEqual([2026, 10, 25]);
    expect([e.getHours(), e.getMinutes(), e.getSeconds(), e.getMilliseconds()]).toEqual([23, 59, 59, 999]);
    expect(e.getTime() - s.getTime()).toBe(DAY_MS - 1);
  });

  it('the next day starts one millisecond after the end of the day before', () => {
    const end = Date.parse(dayBoundary('2026-12-31', 'end')!);
    const next = Date.parse(dayBoundary('2027-01-01', 'start')!);
    expect(next - end).toBe(1);
  });

  it.each(['', '2026-1-5', '25.11.2026', '2026-11-25T00:00', 'today', ' 2026-11-25'])(
    'is undefined for %j, which is not a YYYY-MM-DD day',
    (day) => {
      expect(dayBoundary(day, 'start')).toBeUndefined();
      expect(dayBoundary(day, 'end')).toBeUndefined();
    },
  );

  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31'])(
    'is undefined for %j, a day that does not exist',
    (day) => {
      expect(dayBoundary(day, 'start')).toBeUndefined();
      expect(dayBoundary(day, 'end')).toBeUndefined();
    },
  );
});

describe('localDay', () => {
  it.each(['2026-01-01', '2026-02-28', '2028-02-29', '2026-03-29', '2026-10-25', '2026-12-31'])(
    'round-trips %s through the start and the end of that day',
    (day) => {
      expect(localDay(dayBoundary(day, 'start'))).toBe(day);
      expect(localDay(dayBoundary(day, 'end'))).toBe(day);
    },
  );

  it('is the day of the instant in the browser zone', () => {
    const instant = new Date(2026, 10, 25, 13, 45).toISOString();
    expect(localDay(instant)).toBe('2026-11-25');
  });

  it('is empty for no value or a value that is not a date', () => {
    expect(localDay(undefined)).toBe('');
    expect(localDay('')).toBe('');
    expect(localDay('not a date')).toBe('');
  });
});

describe('days on which the clocks change', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('a day is 23 or 25 hours long in a zone with summer time, and still round-trips', () => {
    process.env.TZ = 'Europe/Berlin';
    const length = (day: string) =>
      Date.parse(dayBoundary(day, 'end')!) - Date.parse(dayBoundary(day, 'start')!) + 1;
    expect(length('2026-03-29') / 3_600_000).toBe(23);
    expect(length('2026-10-25') / 3_600_000).toBe(25);
    expect(length('2026-06-15') / 3_600_000).toBe(24);
    expect(dayBoundary('2026-03-29', 'start')).toBe('2026-03-28T23:00:00.000Z');
    expect(dayBoundary('2026-10-25', 'end')).toBe('2026-10-25T22:59:59.999Z');
    expect(localDay(dayBoundary('2026-03-29', 'end'))).toBe('2026-03-29');
  });
});

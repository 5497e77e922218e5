import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_TIME_ZONE, dateFormat, dayBoundary, formatDate, formatDateTime, localDay } from './time';

const DAY_MS = 86_400_000;

describe('the date format', () => {
  const us = dateFormat('en-US');
  const uk = dateFormat('en-GB');

  it('writes dates and times as the locale does, naming the zone', () => {
    expect(us.dateTime('2026-12-04T18:00:00.000Z', 'UTC')).toBe('Dec 4, 2026, 06:00 PM UTC');
    expect(uk.dateTime('2026-12-04T18:00:00.000Z', 'UTC')).toBe('4 Dec 2026, 18:00 UTC');
  });

  it('shows the wall-clock time of the zone, with its short name (summer and winter)', () => {
    expect(uk.dateTime('2026-07-25T14:02:00.000Z', 'Europe/Berlin')).toBe('25 Jul 2026, 16:02 CEST');
    expect(uk.dateTime('2026-01-25T14:02:00.000Z', 'Europe/Berlin')).toBe('25 Jan 2026, 15:02 CET');
  });

  it('shows seconds only when asked to', () => {
    expect(uk.dateTime('2026-11-25T14:02:09.000Z', 'UTC', true)).toBe('25 Nov 2026, 14:02:09 UTC');
    expect(us.dateTime('2026-11-25T14:02:09.000Z', 'UTC', true)).toBe('Nov 25, 2026, 02:02:09 PM UTC');
    expect(uk.dateTime('2026-11-25T14:02:09.000Z', 'UTC')).toBe('25 Nov 2026, 14:02 UTC');
  });

  it('a day is the calendar day in the zone', () => {
    expect(uk.date('2026-11-25T23:30:00.000Z', 'UTC')).toBe('25 Nov 2026');
    expect(uk.date('2026-11-25T23:30:00.000Z', 'Asia/Tokyo')).toBe('26 Nov 2026');
    expect(us.date('2026-12-04T12:00:00.000Z', 'UTC')).toBe('Dec 4, 2026');
    expect(us.dayMonth('2026-12-04T12:00:00.000Z', 'UTC')).toBe('Dec 4');
    expect(uk.dayMonth('2026-12-04T12:00:00.000Z', 'UTC')).toBe('4 Dec');
    expect(us.time('2026-12-04T18:00:00.000Z', 'UTC')).toBe('06:00 PM UTC');
    expect(uk.time('2026-12-04T18:00:00.000Z', 'Europe/Berlin')).toBe('19:00 CET');
  });

  it('the console formats in the browser zone by default, naming that zone too', () => {
    const formatted = formatDateTime('2026-11-25T14:02:00.000Z');
    expect(formatted).toBe(dateFormat().dateTime('2026-11-25T14:02:00.000Z', BROWSER_TIME_ZONE));
    expect(formatted).toContain('2026');
    expect(formatDate('2026-11-25T12:00:00.000Z', 'UTC')).toBe(
      dateFormat().date('2026-11-25T12:00:00.000Z', 'UTC'),
    );
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

import { describe, expect, it } from 'vitest';
import { bucketStart, bucketStarts, chooseBucket, nextBucketStart, outcomeOf } from './histogram';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const isoList = (ms: number[]) => ms.map((m) => new Date(m).toISOString());

describe('chooseBucket: minutes for an hour, hours for a day or a week, days for a month or more', () => {
  it.each([
    ['an hour', HOUR, 'minute'],
    ['two hours', 2 * HOUR, 'minute'],
    ['three hours', 3 * HOUR, 'hour'],
    ['a day', DAY, 'hour'],
    ['a week', 7 * DAY, 'hour'],
    ['eight days and a minute', 8 * DAY + 60_000, 'day'],
    ['a month', 30 * DAY, 'day'],
    ['ninety days', 90 * DAY, 'day'],
  ] as const)('%s → %s', (_label, span, unit) => {
    expect(chooseBucket(0, span)).toBe(unit);
  });
});

describe('day buckets follow the zone’s calendar across a daylight-saving change', () => {
  it('Europe/Berlin, clocks go back on 25 Oct 2026: that day is 25 hours long', () => {
    const starts = bucketStarts(
      at('2026-10-24T12:00:00Z'),
      at('2026-10-26T12:00:00Z'),
      'day',
      'Europe/Berlin',
    );
    expect(isoList(starts)).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    expect(starts[2]! - starts[1]!).toBe(25 * HOUR);
  });

  it('Europe/Berlin, clocks go forward on 29 Mar 2026: that day is 23 hours long', () => {
    const starts = bucketStarts(
      at('2026-03-28T12:00:00Z'),
      at('2026-03-30T12:00:00Z'),
      'day',
      'Europe/Berlin',
    );
    expect(isoList(starts)).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(starts[2]! - starts[1]!).toBe(23 * HOUR);
  });

  it('America/Santiago, clocks go back at midnight: the day starts at the second midnight-free hour', () => {
    expect(
      new Date(nextBucketStart(at('2026-04-04T03:00:00Z'), 'day', 'America/Santiago')).toISOString(),
    ).toBe('2026-04-05T04:00:00.000Z');
  });

  it('America/Santiago, clocks jump over midnight: the day starts when the clock resumes', () => {
    expect(new Date(bucketStart(at('2026-09-06T12:00:00Z'), 'day', 'America/Santiago')).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('UTC days are 24 hours, whatever the date', () => {
    const starts = bucketStarts(at('2026-10-24T12:00:00Z'), at('2026-10-27T12:00:00Z'), 'day', 'UTC');
    expect(starts.slice(1).map((s, i) => s - starts[i]!)).toEqual([DAY, DAY, DAY]);
  });
});

describe('hour and minute buckets', () => {
  it('hours start on the zone’s hour, also where it is 30 minutes off UTC', () => {
    expect(new Date(bucketStart(at('2026-11-25T10:47:13Z'), 'hour', 'Asia/Kolkata')).toISOString()).toBe(
      '2026-11-25T10:30:00.000Z',
    );
    expect(new Date(bucketStart(at('2026-11-25T10:47:13Z'), 'hour', 'UTC')).toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
  });

  it('an hour of minute buckets has 61 starts from its first to its last minute inclusive', () => {
    expect(
      bucketStarts(at('2026-11-25T10:00:00Z'), at('2026-11-25T11:00:00Z'), 'minute', 'UTC'),
    ).toHaveLength(61);
  });

  it('stops one bucket past the limit, so that the caller can say there are too many', () => {
    expect(bucketStarts(0, 30 * DAY, 'minute', 'UTC')).toHaveLength(5001);
  });
});

describe('outcomeOf', () => {
  it.each([
    ['Successful authentication', 'success'],
    ['Failed API token basic authentication attempt', 'failed'],
    ['Failed API token bearer authentication attempt', 'failed'],
    ['Failed API token verification', 'failed'],
    ['Permission denied', 'denied'],
    ['API token created', 'changes'],
    ['Settings changed', 'changes'],
    ['Log level changed', 'changes'],
  ] as const)('%s → %s', (event, outcome) => {
    expect(outcomeOf(event)).toBe(outcome);
  });
});

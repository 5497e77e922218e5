import { describe, expect, it } from 'vitest';
import { formatRemaining } from './remaining';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('formatRemaining', () => {
  it.each([
    [0, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [SECOND, '0:01'],
    [SECOND + 1, '0:02'],
    [59 * SECOND, '0:59'],
    [59 * SECOND + 1, '1:00'],
    [MINUTE, '1:00'],
    [10 * MINUTE + 5 * SECOND, '10:05'],
    [15 * MINUTE - SECOND, '14:59'],
    [15 * MINUTE, '15:00'],
    [HOUR - SECOND, '59:59'],
    [HOUR, '1:00:00'],
    [HOUR + MINUTE + SECOND, '1:01:01'],
    [4 * HOUR - SECOND, '3:59:59'],
    [4 * HOUR, '4:00:00'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it.each([-1, -999, -SECOND, -HOUR])('shows a time already past (%d ms) as 0:00', (ms) => {
    expect(formatRemaining(ms)).toBe('0:00');
  });
});

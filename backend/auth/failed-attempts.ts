import {
  FAILED_ATTEMPTS_INTERVAL_MS,
  FAILED_ATTEMPTS_RECORDED_PER_SOURCE,
  OTHER_SOURCES,
  type FurtherAttempts,
} from '../../contract/audit';
import { attemptSource } from '../../contract/ip';

/** One source's interval: how many failed attempts were recorded one by one, and how many more came. */
interface Interval {
  start: number;
  recorded: number;
  further: number;
  /** The last address the source's attempts came from (an IPv6 source is a /64). */
  lastIp: string;
}

/** How many sources are followed at once; the attempts of any further source share one interval. */
export const MAX_TRACKED_SOURCES = 10_000;

/**
 * Repeated failed attempts aggregated, like syslog's "message repeated N times": in each interval
 * (a minute from a source's first failure) the first attempts of a source are recorded one by one,
 * then only counted; when the interval has ended, one record says how many more came. Memory is
 * bounded: at most MAX_TRACKED_SOURCES intervals, and one for every other source beyond them.
 */
export class FailedAttempts {
  /** By source; in the order the intervals started (an ended interval is removed, never moved). */
  private readonly intervals = new Map<string, Interval>();

  constructor(private readonly maxSources = MAX_TRACKED_SOURCES) {}

  /** Counts a failed attempt; whether it is recorded one by one (else the interval's summary counts it). */
  admit(clientIp: string, nowMs: number): boolean {
    let source = attemptSource(clientIp);
    let interval = this.intervals.get(source);
    if (!interval && this.intervals.size >= this.maxSources) {
      source = OTHER_SOURCES;
      interval = this.intervals.get(source);
    }
    if (!interval) {
      interval = { start: nowMs, recorded: 0, further: 0, lastIp: clientIp };
      this.intervals.set(source, interval);
    }
    interval.lastIp = clientIp;
    if (interval.recorded < FAILED_ATTEMPTS_RECORDED_PER_SOURCE) {
      interval.recorded++;
      return true;
    }
    interval.further++;
    return false;
  }

  /** The intervals that have ended by `nowMs` and had further attempts, forgotten from now on. */
  takeEnded(nowMs: number): { furtherAttempts: FurtherAttempts; lastIp: string | null }[] {
    const ended: { furtherAttempts: FurtherAttempts; lastIp: string | null }[] = [];
    for (const [source, interval] of this.intervals) {
      const end = interval.start + FAILED_ATTEMPTS_INTERVAL_MS;
      if (end > nowMs) break;
      this.intervals.delete(source);
      if (interval.further === 0) continue;
      ended.push({
        furtherAttempts: {
          count: interval.further,
          source,
          from: new Date(interval.start).toISOString(),
          to: new Date(end).toISOString(),
        },
        lastIp: source === OTHER_SOURCES ? null : interval.lastIp,
      });
    }
    return ended;
  }
}

import { z } from 'zod';
import type { AuditEvent } from './audit';
import { AuditFilterSchema } from './audit-query';

/** The outcomes the timeline stacks, in order. */
export const OUTCOMES = ['success', 'failed', 'denied', 'changes'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  success: 'Successful authentication',
  failed: 'Failed attempts',
  denied: 'Permission denied',
  changes: 'Token and settings changes',
};

export function outcomeOf(event: AuditEvent): Outcome {
  switch (event) {
    case 'Successful authentication':
    case 'User signed in':
      return 'success';
    case 'Failed API token basic authentication attempt':
    case 'Failed API token bearer authentication attempt':
    case 'Failed API token verification':
    case 'Further failed attempts':
    case 'Sign-in failed':
    case 'Sign-in temporarily locked':
      return 'failed';
    case 'Permission denied':
      return 'denied';
    default:
      return 'changes';
  }
}

export const BUCKET_UNITS = ['minute', 'hour', 'day'] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Minutes for an hour or two, hours for a day or a week, days for a month or more. */
export function chooseBucket(fromMs: number, toMs: number): BucketUnit {
  const span = toMs - fromMs;
  if (span <= 2 * HOUR) return 'minute';
  if (span <= 8 * DAY) return 'hour';
  return 'day';
}

/**
 * Formatters by zone: only canonical zone names reach this cache (see `canonicalTimeZone`), of which
 * the runtime knows a few hundred; the bound is a second line of defence (each one holds tens of KB).
 */
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
export const MAX_CACHED_TIME_ZONES = 1000;
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (partsFormatters.size >= MAX_CACHED_TIME_ZONES) partsFormatters.clear();
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** How many zones have a cached formatter (diagnostics and tests: it must stay bounded). */
export const cachedTimeZoneCount = () => partsFormatters.size;

/** The runtime's zones by their lower-cased name (its list names UTC apart): made on first use. */
let zonesByLowerCase: Map<string, string> | undefined;

/**
 * The runtime's one name of a zone, however a client spelled it ("europe/berlin", "US/Eastern" →
 * "Europe/Berlin", "America/New_York"); undefined for a zone it does not know. Every spelling of a
 * zone becomes the same name, so that nothing keyed by zones grows with spellings.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  zonesByLowerCase ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((name) => [name.toLowerCase(), name]),
  );
  const listed = zonesByLowerCase.get(zone.toLowerCase());
  if (listed) return listed;
  // An alias (or a zone the list leaves out): the runtime resolves it to its canonical name.
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time happens in a zone (the earlier one where clocks go back). */
function instantOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  const shows = (ms: number) => {
    const w = wallClock(ms, timeZone);
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
  };
  const valid = [first, second].filter(shows);
  // A time that never happens (clocks jumped over it) starts when the clock resumes.
  return valid.length > 0 ? Math.min(...valid) : Math.max(first, second);
}

/** The start of the bucket an instant falls in, in the zone's wall clock. */
export function bucketStart(ms: number, unit: BucketUnit, timeZone: string): number {
  if (unit === 'minute') return Math.floor(ms / MINUTE) * MINUTE;
  const w = wallClock(ms, timeZone);
  if (unit === 'hour') {
    // Hours start on the zone's hour (zones like India's are 30 minutes off UTC).
    const start = ms - ((w.minute * 60 + w.second) * 1000 + (ms % 1000));
    return start;
  }
  return instantOf(w.year, w.month, w.day, 0, 0, timeZone);
}

/** The start of the next bucket (a day may be 23 or 25 hours long). */
export function nextBucketStart(start: number, unit: BucketUnit, timeZone: string): number {
  if (unit === 'minute') return start + MINUTE;
  if (unit === 'hour') return start + HOUR;
  const w = wallClock(start + 12 * HOUR, timeZone);
  const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return instantOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone);
}

/** Every bucket start from `from` to `to` (at most `max`; one more than MAX_BUCKETS tells "too many"). */
export function bucketStarts(
  fromMs: number,
  toMs: number,
  unit: BucketUnit,
  timeZone: string,
  max = MAX_BUCKETS + 1,
): number[] {
  const starts: number[] = [];
  for (
    let s = bucketStart(fromMs, unit, timeZone);
    s <= toMs && starts.length < max;
    s = nextBucketStart(s, unit, timeZone)
  ) {
    starts.push(s);
  }
  return starts;
}

/** The bucket an instant falls in: the last of the ascending `starts` at or before `ms` (-1: before them all). */
export function bucketOf(starts: readonly number[], ms: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** "UTC" or an IANA zone the runtime knows, as its canonical name (default UTC). */
export const TimeZoneSchema = z
  .string()
  .max(64)
  .transform((zone, ctx) => {
    const canonical = canonicalTimeZone(zone);
    if (canonical === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Not a known time zone.' });
      return z.NEVER;
    }
    return canonical;
  })
  .default('UTC');

/** `GET /audit/histogram`: the audit filters (a range is required) and the bucket. */
export const HistogramQuerySchema = AuditFilterSchema.extend({
  bucket: z.enum(BUCKET_UNITS),
  /** The zone whose days and hours the buckets follow. */
  tz: TimeZoneSchema,
})
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: '"from" must not be after "to".',
    path: ['from'],
  })
  // Audit records are not older than the epoch; before it, calendar arithmetic goes wrong.
  .refine((q) => !q.from || Date.parse(q.from) >= 0, {
    message: 'Choose a date from 1970 on.',
    path: ['from'],
  });

/** At most this many buckets in one histogram (a day per bucket covers ten years). */
export const MAX_BUCKETS = 5000;
export type HistogramQuery = z.infer<typeof HistogramQuerySchema>;

export const HistogramBucketSchema = z.object({
  start: z.iso.datetime(),
  counts: z.object({ success: z.number(), failed: z.number(), denied: z.number(), changes: z.number() }),
});
export type HistogramBucket = z.infer<typeof HistogramBucketSchema>;

/** The records of a bucket, whatever their outcome. */
export const bucketTotal = (b: HistogramBucket) => OUTCOMES.reduce((sum, o) => sum + b.counts[o], 0);
export const HistogramSchema = z.object({
  bucket: z.enum(BUCKET_UNITS),
  tz: z.string(),
  /** The range the buckets cover (without a time filter: the retention period up to now). */
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  buckets: z.array(HistogramBucketSchema),
});
export type Histogram = z.infer<typeof HistogramSchema>;

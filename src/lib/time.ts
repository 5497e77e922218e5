/**
 * The console's one date format, used by every page: dates and times as the browser's locale writes
 * them, which is how the browser's own date and time inputs show them too (a browser set to English
 * (US) reads "Dec 4, 2026, 06:00 PM" in lists and "12/04/2026" and "06:00 PM" in inputs; one set to
 * English (UK) "4 Dec 2026, 18:00" and "04/12/2026"). Every time names its zone: the page's zone (the
 * browser's, or UTC where a page offers that choice).
 */
export const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

/** The formats in one locale (undefined: the browser's); the console uses the browser's, below. */
export function dateFormat(locale?: string) {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const format = (iso: string, kind: string, timeZone: string, options: Intl.DateTimeFormatOptions) => {
    const key = `${kind}|${timeZone}`;
    let f = formatters.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      formatters.set(key, f);
    }
    return f.format(new Date(iso));
  };
  return {
    /** "Nov 25, 2026, 02:02 PM UTC" (en-US); with seconds where order within a minute matters. */
    dateTime: (iso: string, timeZone = BROWSER_TIME_ZONE, withSeconds = false) =>
      withSeconds
        ? format(iso, 'seconds', timeZone, { ...DATE, ...TIME, second: '2-digit' })
        : format(iso, 'minutes', timeZone, { ...DATE, ...TIME }),
    /** "Nov 25, 2026" (en-US): the calendar day in the zone. */
    date: (iso: string, timeZone = BROWSER_TIME_ZONE) => format(iso, 'date', timeZone, DATE),
    /** "02:02 PM UTC" (en-US): under a date where a table has no room for both on one line. */
    time: (iso: string, timeZone = BROWSER_TIME_ZONE) => format(iso, 'time', timeZone, TIME),
    /** "Nov 25" (en-US), for the days of a chart's axis. */
    dayMonth: (iso: string, timeZone = BROWSER_TIME_ZONE) =>
      format(iso, 'day-month', timeZone, { month: 'short', day: 'numeric' }),
  };
}

const inBrowser = dateFormat();
export const formatDateTime = inBrowser.dateTime;
export const formatDate = inBrowser.date;
export const formatTime = inBrowser.time;
export const formatDayMonth = inBrowser.dayMonth;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A day ("YYYY-MM-DD") or a minute ("YYYY-MM-DDTHH:mm") as numbers; null where it is neither, or does not exist. */
function parts(value: string): [number, number, number, number, number] | null {
  if (!DAY.test(value) && !MINUTE.test(value)) return null;
  const [date = '', time] = value.split('T');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time ? (time.split(':').map(Number) as [number, number]) : [0, 0];
  // Years before 1000 would be read as 19xx by the Date functions; no date here is that old.
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1) return null; // e.g. 2026-02-30
  return [y, m, d, hh, mm];
}

/** Whether a value is a day ("YYYY-MM-DD") or a minute ("YYYY-MM-DDTHH:mm") that exists. */
export const isDayOrMinute = (value: string): boolean => parts(value) !== null;

/**
 * The instant a day or minute typed in the chosen zone starts ("start"), or its last millisecond
 * ("end"): a "to" date without a time is the end of that day in that zone. The one rule for every
 * date a user types (the Audit Log's range, the Token Manager's date filters).
 */
export function boundary(value: string, zone: 'utc' | 'local', edge: 'start' | 'end'): string | undefined {
  const p = parts(value);
  if (!p) return undefined;
  const [y, m, d, hh, mm] = p;
  const hasTime = MINUTE.test(value);
  const endMs = edge === 'start' ? 0 : hasTime ? 59_999 : 86_399_999;
  const base = zone === 'utc' ? Date.UTC(y, m - 1, d, hh, mm) : new Date(y, m - 1, d, hh, mm).getTime();
  // Local "end of day" is the start of the next day less 1 ms: a day may be 23 or 25 hours long, and
  // where clocks go back at midnight, 23:59 happens twice.
  if (zone === 'local' && edge === 'end' && !hasTime) {
    return new Date(new Date(y, m - 1, d + 1).getTime() - 1).toISOString();
  }
  return new Date(base + endMs).toISOString();
}

/** The instant a calendar day (YYYY-MM-DD) starts, or its last millisecond, in the browser's zone. */
export function dayBoundary(day: string, edge: 'start' | 'end'): string | undefined {
  return DAY.test(day) ? boundary(day, 'local', edge) : undefined;
}

/** The calendar day (YYYY-MM-DD) of an instant in the browser's zone, for date inputs. */
export function localDay(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

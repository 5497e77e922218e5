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

/** The instant a calendar day (YYYY-MM-DD) starts, or its last millisecond, in the browser's zone. */
export function dayBoundary(day: string, edge: 'start' | 'end'): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(y, m - 1, d);
  // The Date constructor rolls 2026-02-30 over to March, and reads years before 100 as 19xx.
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return undefined;
  // The end is the next day's start less 1 ms: right on 23- and 25-hour days too.
  return edge === 'start'
    ? date.toISOString()
    : new Date(new Date(y, m - 1, d + 1).getTime() - 1).toISOString();
}

/** The calendar day (YYYY-MM-DD) of an instant in the browser's zone, for date inputs. */
export function localDay(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

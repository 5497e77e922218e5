/**
 * Date formatting for the console. Every timestamp names its zone; the zone is the browser's unless a
 * view offers a choice (UTC or local).
 */
export const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean, withSeconds = false): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}|${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      ...(withTime && { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }),
      ...(withSeconds && { second: '2-digit' }),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "25 Nov 2026, 14:02 UTC" (or the zone's short name); with seconds where order within a minute matters. */
export function formatDateTime(iso: string, timeZone = BROWSER_TIME_ZONE, withSeconds = false): string {
  return formatter(timeZone, true, withSeconds).format(new Date(iso));
}

/** "25 Nov 2026". */
export function formatDate(iso: string, timeZone = BROWSER_TIME_ZONE): string {
  return formatter(timeZone, false).format(new Date(iso));
}

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

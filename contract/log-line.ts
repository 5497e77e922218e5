import type { LogEntry } from './logging';

/**
 * An entry as a line of the authentication log, in the seed's Log4j 1 ConversionPattern:
 *   %d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p %X{jira.username} %X{jira.request.ipaddr} %X{jira.request.url} [%c] %m
 * (the logger in full, so that the Log entries tab can read it back). The server's log file and the
 * console's "Download" of Log entries write it.
 */
export function formatLogLine(entry: Omit<LogEntry, 'id'>): string {
  // One entry, one line. The log writer encodes every value from outside before it gets here
  // (backend/logging/log-encoding.ts); this is the last guard for a message that was not.
  const message =
    entry.message.includes('\n') || entry.message.includes('\r')
      ? entry.message.replace(/[\r\n]+/g, ' ')
      : entry.message;
  return `${logDate(entry.timestamp)} ${entry.thread} ${entry.level} ${entry.username || '-'} ${entry.clientIp || '-'} ${entry.url || '-'} [${entry.logger}] ${message}`;
}

/** "2026-11-26T10:00:00.000Z" → "2026-11-26 10:00:00,000+0000" (cut from the ISO form: no Date per line). */
function logDate(timestamp: string): string {
  // The lines of one event share their timestamp: the last one is kept.
  if (timestamp === lastDate.timestamp) return lastDate.formatted;
  const iso = ISO_UTC.test(timestamp) ? timestamp : new Date(timestamp).toISOString();
  const formatted = `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}+0000`;
  lastDate.timestamp = timestamp;
  lastDate.formatted = formatted;
  return formatted;
}
const lastDate = { timestamp: '', formatted: '' };
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

import { existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchesLogEntry, type LogEntriesQuery, type LogEntry, type LogLevel } from '../contract/logging';
import type { NewLogEntry, Page } from '../backend/store/port';

/**
 * The authentication log as a real file, in the seed's Log4j 1 ConversionPattern:
 *   %d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p %X{jira.username} %X{jira.request.ipaddr} %X{jira.request.url} [%c] %m
 * (the logger in full, so that the Log entries tab can read it back; one node per file).
 */
export function formatLogLine(entry: NewLogEntry): string {
  // One entry, one line: line breaks in a message would make the file unreadable (and forgeable).
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

const LINE =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3})\+0000 (\S+) (OFF|FATAL|ERROR|WARN|INFO|DEBUG|TRACE) (\S+) (\S+) (\S+) \[([^\]]+)\] (.*)$/;

export function parseLogLine(line: string, lineNumber: number, node: string): LogEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, thread, level, username, clientIp, url, logger, message] = m;
  return {
    id: `le-${String(lineNumber).padStart(9, '0')}`,
    timestamp: `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`,
    level: level as LogLevel,
    logger: logger!,
    node,
    thread: thread!,
    username: username === '-' ? '' : username!,
    clientIp: clientIp === '-' ? '' : clientIp!,
    url: url === '-' ? '' : url!,
    message: message!,
  };
}

/** Appends entries to the log file (and echoes them to stdout); reads them back for the Log entries tab. */
export class LogFile {
  private readonly fd: number;
  private pending = '';
  private flushScheduled = false;

  /** `echo` gets the same lines as the file, when they are written (several lines, each ending in "\n"). */
  constructor(
    readonly path: string,
    private readonly node: string,
    private readonly echo: (lines: string) => void = (lines) => process.stdout.write(lines),
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // Opened once for appending: a line is one write, not an open, a write and a close.
    this.fd = openSync(path, 'a');
  }

  private read(): string[] {
    if (!existsSync(this.path)) return [];
    const text = readFileSync(this.path, 'utf8');
    return text.length ? text.replace(/\n$/, '').split('\n') : [];
  }

  append(entries: NewLogEntry[]): void {
    for (const entry of entries) this.pending += `${formatLogLine(entry)}\n`;
    this.scheduleFlush();
  }

  /**
   * Writes the pending lines, to the file and the echo. The lines of one turn of the event loop
   * (every request it handled) go out in one write each, right after it: a busy server does not
   * make a system call per line.
   */
  flush(): void {
    this.flushScheduled = false;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    writeSync(this.fd, text);
    this.echo(text);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Newest first, filtered, keyset-paged by line number. */
  list(query: Partial<LogEntriesQuery> & { cursor?: string; limit: number }): Page<LogEntry> {
    this.flush();
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    const lines = this.read();
    const items: LogEntry[] = [];
    for (let i = lines.length - 1; i >= 0 && items.length <= query.limit; i--) {
      const entry = parseLogLine(lines[i]!, i + 1, this.node);
      if (!entry || (query.cursor !== undefined && entry.id >= query.cursor)) continue;
      if (matchesLogEntry(entry, filter)) items.push(entry);
    }
    const more = items.length > query.limit;
    const page = more ? items.slice(0, query.limit) : items;
    return { items: page, nextCursor: more ? (page.at(-1)?.id ?? null) : null };
  }
}

import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchesLogEntry, type LogEntriesQuery, type LogEntry, type LogLevel } from '../contract/logging';
import type { NewLogEntry, Page } from '../backend/store/port';

/**
 * The authentication log as a real file, in the seed's Log4j 1 ConversionPattern:
 *   %d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p %X{jira.username} %X{jira.request.ipaddr} %X{jira.request.url} [%c] %m
 * (the logger in full, so that the Log entries tab can read it back; one node per file).
 */
export function formatLogLine(entry: NewLogEntry): string {
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

const LINE =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3})\+0000 (\S+) (OFF|FATAL|ERROR|WARN|INFO|DEBUG|TRACE) (\S+) (\S+) (\S+) \[([^\]]+)\] (.*)$/;

/**
 * A line of the file as an entry; its id is where the line starts in the file (a byte offset, fixed
 * width so that ids sort as the lines do), which a reader that starts at the end knows.
 */
export function parseLogLine(line: string, offset: number, node: string): LogEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, thread, level, username, clientIp, url, logger, message] = m;
  return {
    id: logEntryId(offset),
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

const logEntryId = (offset: number) => `le-${String(offset).padStart(15, '0')}`;
const offsetOfId = (id: string) => Number(id.slice(id.indexOf('-') + 1));

/** How much of the file the Log entries tab reads at a time, from the end backwards. */
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * How much of the file one page looks through at most (about 0.1 s here). The reads block the event
 * loop, so a search that matches little must not read a large log in one go: the page then ends
 * early, possibly empty, with a cursor that goes on where it stopped.
 */
export const MAX_SCAN_BYTES = 32 * 1024 * 1024;
const NEWLINE = 0x0a;

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
    private readonly maxScanBytes = MAX_SCAN_BYTES,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // Opened once for appending: a line is one write, not an open, a write and a close.
    this.fd = openSync(path, 'a');
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

  /**
   * Newest first, filtered, keyset-paged by position in the file. The file is read from the end
   * backwards, a chunk at a time, until the page is full or MAX_SCAN_BYTES are read: a long log costs
   * no more memory than a chunk, the first page of a busy server's log is read from its last chunk,
   * and a search that matches little answers within its budget (a short page and a cursor).
   */
  list(query: Partial<LogEntriesQuery> & { cursor?: string; limit: number }): Page<LogEntry> {
    this.flush();
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    const items: LogEntry[] = [];
    // Every line of this file is this node's.
    if (filter.node && filter.node !== this.node) return { items, nextCursor: null };
    const mayMatch = lineMayMatch(filter);
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      // Moved away (a rotation that renames the file): nothing to read until it is back.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { items, nextCursor: null };
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      // The cursor is where the last line of the previous page starts: this page ends before it.
      const end = query.cursor === undefined ? size : Math.min(offsetOfId(query.cursor), size);
      for (const [line, offset] of linesBackwards(fd, end)) {
        if (mayMatch(line)) {
          const entry = parseLogLine(line, offset, this.node);
          if (entry && matchesLogEntry(entry, filter)) items.push(entry);
          if (items.length > query.limit) break;
        }
        if (end - offset >= this.maxScanBytes && offset > 0) {
          // Looked far enough for one request: go on from this line next time.
          return { items, nextCursor: logEntryId(offset) };
        }
      }
    } finally {
      closeSync(fd);
    }
    const more = items.length > query.limit;
    const page = more ? items.slice(0, query.limit) : items;
    return { items: page, nextCursor: more ? (page.at(-1)?.id ?? null) : null };
  }
}

/**
 * A quick look at the raw line for what the filter asks: the level, the logger and the message are
 * parts of the line, so a line without them is skipped before it is parsed (a search that matches
 * little reads its whole budget; this makes that read faster). Parsing decides.
 */
function lineMayMatch(filter: { level: readonly LogLevel[]; logger?: string; q?: string }) {
  const levels = filter.level.map((level) => ` ${level} `);
  const logger = filter.logger ? `[${filter.logger}` : undefined;
  const search = filter.q?.toLowerCase();
  return (line: string) =>
    (levels.length === 0 || levels.some((level) => line.includes(level))) &&
    (!logger || line.includes(logger)) &&
    (!search || line.toLowerCase().includes(search));
}

/** The lines of the file before `end`, last first, each with the offset where it starts. */
function* linesBackwards(fd: number, end: number): Generator<[string, number]> {
  let position = end;
  // The bytes after the last newline found so far: the end of a line whose start is further back.
  let tail = Buffer.alloc(0);
  while (position > 0) {
    const length = Math.min(READ_CHUNK_BYTES, position);
    position -= length;
    const chunk = Buffer.allocUnsafe(length + tail.length);
    readSync(fd, chunk, 0, length, position);
    tail.copy(chunk, length);
    let lineEnd = chunk.length;
    // A newline splits lines; a line ends just before its newline (the file's last byte is one).
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== NEWLINE) continue;
      if (i + 1 < lineEnd) yield [chunk.toString('utf8', i + 1, lineEnd), position + i + 1];
      lineEnd = i;
    }
    tail = chunk.subarray(0, lineEnd);
  }
  if (tail.length > 0) yield [tail.toString('utf8'), 0];
}

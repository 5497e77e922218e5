import { closeSync, fstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { APP_LOGGERS, matchesLogEntry, type LogEntry, type LogLevel } from '../contract/logging';
import { formatLogLine } from '../contract/log-line';
import { isDiskFull } from '../backend/http/problem';
import type { LogEntryListQuery, NewLogEntry, Page } from '../backend/store/port';

/** A line of the authentication log file as `formatLogLine` writes it (one node per file). */
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

/** How much of the file the Log entries tab reads at a time (one read per turn of the event loop). */
export const READ_CHUNK_BYTES = 256 * 1024;
/**
 * How much of the file one page looks through at most: a search that matches little must not read a
 * large log in one request; the page then ends early, possibly empty, with a cursor that goes on
 * where it stopped.
 */
export const MAX_SCAN_BYTES = 32 * 1024 * 1024;
/**
 * The longest line the reader puts together. Longer runs without a newline are not log lines (the
 * server's own are far shorter): they are skipped, never held in memory or copied chunk by chunk.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Appends entries to the log file (and echoes them to stdout); reads them back for the Log entries
 * tab. The file may be rotated under it: truncated (logrotate's copytruncate: writing goes on at the
 * start of the emptied file), or moved or deleted (logrotate's default, create): the next write sees
 * that the path no longer names the file it has open and opens the path again, and `reopen` (SIGHUP,
 * as nginx does) does that at once.
 */
export class LogFile {
  private fd: number;
  /** The inode of the open file, to notice when the path names another one (or none). */
  private inode: number;
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
    this.inode = fstatSync(this.fd).ino;
  }

  append(entries: NewLogEntry[]): void {
    for (const entry of entries) this.pending += `${formatLogLine(entry)}\n`;
    this.scheduleFlush();
  }

  /**
   * Writes the pending lines, to the file and the echo. The lines of one turn of the event loop
   * (every request it handled) go out in one write each, right after it: a busy server does not
   * make a system call per line (and one more to see that the file is still there).
   */
  flush(): void {
    this.flushScheduled = false;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.echo(text);
    try {
      if (statSync(this.path, { throwIfNoEntry: false })?.ino !== this.inode) this.reopen();
      writeSync(this.fd, this.writeFailure ? this.lostLinesLine() + text : text);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      this.linesLost(error, text);
      return;
    }
    if (this.writeFailure) {
      console.error(`Writing the log file ${this.path} again.`);
      this.writeFailure = null;
      this.lostLines = 0;
    }
  }

  /**
   * Why the log file cannot be written, since when (a full disk); null while it can. Lines meanwhile
   * go to the echo (stdout) only; the file gets a line that says how many it lacks.
   */
  writeFailure: { reason: string; since: string } | null = null;
  private lostLines = 0;

  private linesLost(error: unknown, text: string): void {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lostLines++;
    if (this.writeFailure) return;
    const code = (error as { code?: string }).code ?? 'disk full';
    this.writeFailure = { reason: `the disk is full (${code})`, since: new Date().toISOString() };
    console.error(
      `Cannot write the log file ${this.path}: the disk is full (${code}). Its lines go to stdout only ` +
        'until there is space again.',
    );
  }

  private lostLinesLine(): string {
    return `${formatLogLine({
      timestamp: new Date().toISOString(),
      level: 'WARN',
      logger: APP_LOGGERS.app,
      node: this.node,
      thread: 'main',
      username: '',
      clientIp: '',
      url: '',
      message: `${this.lostLines} log lines could not be written to this file since ${this.writeFailure!.since}: the disk was full (they went to stdout).`,
    })}\n`;
  }

  /** Opens the path again (after a rotation moved or deleted the file; the server does it on SIGHUP). */
  reopen(): void {
    const fd = openSync(this.path, 'a');
    closeSync(this.fd);
    this.fd = fd;
    this.inode = fstatSync(fd).ino;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Newest first, filtered, keyset-paged by position in the file. The file is read from the end
   * backwards, a chunk per turn of the event loop, until the page is full or MAX_SCAN_BYTES are
   * read: a long log costs no more memory than a chunk and a line, the first page of a busy server's
   * log is read from its last chunk, a search that matches little answers within its budget (a short
   * page and a cursor), and other requests are answered between the chunks.
   */
  async list(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    this.flush();
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    const items: LogEntry[] = [];
    // Every line of this file is this node's.
    if (filter.node && filter.node !== this.node) return { items, nextCursor: null };
    const mayMatch = lineMayMatch(filter);
    let file: FileHandle;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      // Moved away (a rotation that renames the file) and nothing written since: nothing to read.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { items, nextCursor: null };
      throw error;
    }
    try {
      const { size } = await file.stat();
      // The cursor is where the last line of the previous page starts: this page ends before it.
      const end = query.cursor === undefined ? size : Math.min(offsetOfId(query.cursor), size);
      const reader = new BackwardsLineReader(file, end, this.maxScanBytes);
      while (items.length <= query.limit) {
        const line = await reader.next();
        if (line === 'budget') return { items, nextCursor: logEntryId(reader.resumeAt) };
        if (line === 'start') break;
        const [text, offset] = line;
        if (!mayMatch(text)) continue;
        const entry = parseLogLine(text, offset, this.node);
        if (entry && matchesLogEntry(entry, filter)) items.push(entry);
      }
    } finally {
      await file.close();
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

/**
 * The lines of a file before `end`, last first, each with the offset where it starts; one chunk read
 * (and so one turn of the event loop) at a time, and at most about `budget` bytes in all.
 */
export class BackwardsLineReader {
  /** Where the next chunk read ends (everything from here to `end` has been read). */
  private position: number;
  /** Where reading stops: `budget` bytes before `end`. */
  private readonly floor: number;
  /** One buffer for every read (what is kept of it is copied or turned into text). */
  private readonly chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  /** The lines of the last chunk read (last first), and how many of them are handed out. */
  private lines: [string, number][] = [];
  private taken = 0;
  /**
   * The line whose end was read and whose start is further back, in pieces (first piece first): a
   * long line is copied once, when it is complete, not once per chunk.
   */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Whether the line being put together is longer than MAX_LINE_BYTES (it is skipped). */
  private overlong = false;
  /** The chunks read so far, each in its own turn of the event loop (tests count them). */
  chunksRead = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly end: number,
    budget: number,
  ) {
    this.position = end;
    this.floor = end - budget;
  }

  /** Where a reader that stopped for its budget goes on: the end of the line it had not finished. */
  get resumeAt(): number {
    return this.position + this.partialBytes;
  }

  /**
   * The next line, last first; 'start' at the start of the file; 'budget' once the budget is read
   * (go on at `resumeAt`). A line that the budget cuts is read to its start first, so that the next
   * reader begins before it (a line longer than MAX_LINE_BYTES is skipped, so this is bounded).
   */
  async next(): Promise<[string, number] | 'start' | 'budget'> {
    while (this.taken === this.lines.length) {
      if (this.position <= 0) {
        const first = this.takePartial();
        return first && !this.overlong ? [first.toString('utf8'), 0] : 'start';
      }
      if (this.position <= this.floor && this.resumeAt < this.end) return 'budget';
      await this.readChunk();
    }
    return this.lines[this.taken++]!;
  }

  private async readChunk(): Promise<void> {
    // Up to the budget's floor (past it only to finish a line).
    const room = this.position - this.floor;
    const length = Math.min(READ_CHUNK_BYTES, this.position, room > 0 ? room : READ_CHUNK_BYTES);
    this.position -= length;
    const { chunk } = this;
    await this.file.read(chunk, 0, length, this.position);
    this.chunksRead++;
    this.lines = [];
    this.taken = 0;
    let lineEnd = length;
    // A newline splits lines; a line ends just before its newline (the file's last byte is one).
    for (
      let i = chunk.lastIndexOf(NEWLINE, length - 1);
      i >= 0;
      i = i > 0 ? chunk.lastIndexOf(NEWLINE, i - 1) : -1
    ) {
      const start = this.position + i + 1;
      if (lineEnd === length && this.partialBytes > 0) {
        // The line that went on into the chunks read before.
        this.partial.unshift(chunk.subarray(i + 1, length));
        const line = this.takePartial()!;
        if (!this.overlong) this.lines.push([line.toString('utf8'), start]);
      } else if (i + 1 < lineEnd && !this.overlong) {
        this.lines.push([chunk.toString('utf8', i + 1, lineEnd), start]);
      }
      this.overlong = false;
      lineEnd = i;
    }
    if (lineEnd > 0 && !this.overlong) {
      this.partial.unshift(Buffer.from(chunk.subarray(0, lineEnd)));
      this.partialBytes += lineEnd;
      if (this.partialBytes > MAX_LINE_BYTES) {
        // Not a line of ours: forget what is read of it, and skip the rest up to its start.
        this.overlong = true;
        this.takePartial();
      }
    }
  }

  /** The partial line as one buffer (undefined if there is none), and no partial line any more. */
  private takePartial(): Buffer | undefined {
    const parts = this.partial;
    this.partial = [];
    this.partialBytes = 0;
    return parts.length > 0 ? Buffer.concat(parts) : undefined;
  }
}

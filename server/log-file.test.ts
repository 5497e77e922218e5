import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { matchesLogEntry, type LogEntriesQuery } from '../contract/logging';
import type { NewLogEntry } from '../backend/store/port';
import { formatLogLine } from '../contract/log-line';
import { LogFile, parseLogLine, READ_CHUNK_BYTES } from './log-file';

const entry = (message: string): NewLogEntry => ({
  timestamp: '2026-11-26T10:00:00.000Z',
  level: 'INFO',
  logger: 'de.resolution.apitokenauth',
  username: 'jdoe',
  clientIp: '203.0.113.7',
  url: '/rest/api/2/myself',
  node: 'node-1',
  thread: 'http-nio-8080-exec-1',
  message,
});

/** The messages of every page of `query`, following the cursors. */
async function everyPage(
  file: LogFile,
  query: Partial<LogEntriesQuery> & { limit: number },
): Promise<string[]> {
  const messages: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await file.list({ ...query, ...(cursor && { cursor }) });
    messages.push(...page.items.map((e) => e.message));
    if (!page.nextCursor) return messages;
    cursor = page.nextCursor;
  }
  throw new Error('More than 1000 pages');
}

const fileLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const nextTurn = () => new Promise<void>((done) => setImmediate(done));

describe('LogFile', () => {
  it('writes the lines of one turn of the event loop together, right after it, to the file and the echo', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const echoed: string[] = [];
    const file = new LogFile(path, 'node-1', (lines) => echoed.push(lines));
    file.append([entry('first'), entry('second')]);
    file.append([entry('third')]);
    expect(echoed).toEqual([]);
    expect(fileLines(path)).toEqual([]);

    await nextTurn();
    const lines = fileLines(path);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '2026-11-26 10:00:00,000+0000 http-nio-8080-exec-1 INFO jdoe 203.0.113.7 /rest/api/2/myself [de.resolution.apitokenauth] first',
    );
    expect(lines.map((l) => l.slice(l.lastIndexOf(' ') + 1))).toEqual(['first', 'second', 'third']);
    // One echo for the turn, with the same lines as the file.
    expect(echoed).toEqual([`${lines.join('\n')}\n`]);
  });

  it('reads back lines written before a restart and after it, newest first', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const first = new LogFile(path, 'node-1', () => {});
    first.append([entry('from before a restart')]);
    first.flush();
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('one'), entry('two')]);
    await nextTurn();
    const items = (await file.list({ limit: 10 })).items;
    expect(items.map((e) => e.message)).toEqual(['two', 'one', 'from before a restart']);
    // The id is where the line starts in the file.
    const lineLength = formatLogLine(entry('one')).length + 1;
    expect(items.map((e) => e.id)).toEqual([
      'le-' + String(formatLogLine(entry('from before a restart')).length + 1 + lineLength).padStart(15, '0'),
      'le-' + String(formatLogLine(entry('from before a restart')).length + 1).padStart(15, '0'),
      'le-000000000000000',
    ]);
  });

  it('goes on after the file was rotated by truncating it (logrotate copytruncate)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('before the rotation'), entry('also before')]);
    file.flush();
    truncateSync(path, 0);
    file.append([entry('after the rotation')]);
    expect((await file.list({ limit: 10 })).items.map((e) => e.message)).toEqual(['after the rotation']);
    expect(fileLines(path)).toHaveLength(1);
  });

  it('shows no entries, rather than failing, while the file is moved away', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('written before the move')]);
    file.flush();
    renameSync(path, `${path}.1`);
    expect(await file.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    [
      'moved away (logrotate create: renamed, and a new file made later)',
      (path: string) => renameSync(path, `${path}.1`),
    ],
    ['deleted', (path: string) => unlinkSync(path)],
  ])(
    'writes to a new file at its path once the file was %s, and reads that one back',
    async (_how, rotate) => {
      const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
      const file = new LogFile(path, 'node-1', () => {});
      file.append([entry('before the rotation')]);
      file.flush();
      rotate(path);
      file.append([entry('after the rotation')]);
      file.flush();
      expect(fileLines(path).map((l) => l.slice(l.lastIndexOf(']') + 2))).toEqual(['after the rotation']);
      expect((await file.list({ limit: 10 })).items.map((e) => e.message)).toEqual(['after the rotation']);
    },
  );

  it('opens its path again on reopen (the server does it on SIGHUP, as nginx does), at once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('before the rotation')]);
    file.flush();
    renameSync(path, `${path}.1`);
    file.reopen();
    expect(existsSync(path)).toBe(true);
    file.append([entry('after the rotation')]);
    file.flush();
    expect(fileLines(path)).toHaveLength(1);
    expect(fileLines(`${path}.1`)).toHaveLength(1);
  });

  it('reads a long run without newlines a chunk per turn of the event loop, within its byte budget, and finds the lines around it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('before the run')]);
    file.flush();
    // 48 MiB without a newline (what a broken appender or a binary file leaves), then a line.
    appendFileSync(path, Buffer.alloc(48 * 1024 * 1024, 'x'));
    appendFileSync(path, '\n');
    file.append([entry('after the run')]);
    file.flush();

    // Count the turns of the event loop while the pages are read.
    let turns = 0;
    let reading = true;
    const count = () => {
      turns++;
      if (reading) setImmediate(count);
    };
    setImmediate(count);
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await file.list({ limit: 10, ...(cursor && { cursor }) });
      pages.push(page.items.map((e) => e.message));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    reading = false;

    expect(pages.flat()).toEqual(['after the run', 'before the run']);
    // The first page stops after its budget, in the run; the next one goes on from there.
    expect(pages).toHaveLength(2);
    expect(pages[0]).toEqual(['after the run']);
    // At least one turn per chunk: no request holds the event loop for more than one chunk's read.
    expect(turns).toBeGreaterThanOrEqual(Math.floor((48 * 1024 * 1024) / READ_CHUNK_BYTES));
  });

  it('on a full disk (/dev/full: ENOSPC from the kernel) echoes its lines only, says so, and notes the gap in the file once it can write', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    symlinkSync('/dev/full', path);
    const echoed: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const file = new LogFile(path, 'node-1', (lines) => echoed.push(lines));
      file.append([entry('lost one'), entry('lost two')]);
      file.flush();
      expect(echoed.join('')).toContain('lost two');
      expect(file.writeFailure).toMatchObject({ reason: 'the disk is full (ENOSPC)' });
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(/^Cannot write the log file .*: the disk is full \(ENOSPC\)/),
      );

      // Room again (here: the path names a file that can be written).
      unlinkSync(path);
      file.append([entry('written')]);
      file.flush();
      const lines = fileLines(path);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        / WARN - - - \[de\.resolution\.apitokenauth\] 2 log lines could not be written to this file since .*: the disk was full/,
      );
      expect(lines[1]).toMatch(/ written$/);
      expect(file.writeFailure).toBeNull();
    } finally {
      errors.mockRestore();
    }
  });

  it.each<[string, Partial<LogEntriesQuery>]>([
    ['a level', { level: ['WARN'] }],
    ['two levels', { level: ['WARN', 'ERROR'] }],
    ['a package (its classes too)', { logger: 'de.resolution.apitokenauth' }],
    ['a class', { logger: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter' }],
    ['a search, in any case', { q: 'RATE LIMIT' }],
    ['a search for text that is in the line but not in the message', { q: 'jdoe' }],
    ['this node', { node: 'node-1' }],
    ['another node', { node: 'node-2' }],
    [
      'everything at once',
      { level: ['INFO'], logger: 'de.resolution.apitokenauth', q: 'token', node: 'node-1' },
    ],
  ])('filters by %s as the Log entries rule does', async (_name, filter) => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    const written: NewLogEntry[] = [
      {
        ...entry('Found a matching token'),
        logger: 'de.resolution.apitokenauth.ApiTokenAuthenticationService',
      },
      {
        ...entry('Rate limit exceeded for user jdoe'),
        level: 'WARN',
        logger: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter',
      },
      { ...entry('Something else entirely'), level: 'ERROR', logger: 'com.atlassian.jira' },
      { ...entry('token of the package'), level: 'INFO' },
      { ...entry('a WARN in the message only'), level: 'INFO' },
    ];
    file.append(written);
    const items = (await file.list({ ...filter, limit: 50 })).items;
    const query = { level: filter.level ?? [], logger: filter.logger, q: filter.q, node: filter.node };
    const expected = written.filter((e) => matchesLogEntry({ ...e, id: '' }, query));
    expect(items.map((e) => e.message)).toEqual(expected.map((e) => e.message).reverse());
  });

  it('stops looking after its budget: a search that matches little gets short pages that go on where they stopped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {}, 20_000);
    file.append([entry('the needle, oldest line')]);
    for (let i = 0; i < 1000; i++) file.append([entry(`hay ${i}`)]);
    file.append([entry('another needle, newest line')]);
    file.flush();

    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await file.list({ q: 'needle', limit: 10, ...(cursor && { cursor }) });
      pages.push(page.items.map((e) => e.message));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 100);
    // About 150 KB of lines, 20 KB a page: the needles are found on the first and the last page.
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.flat()).toEqual(['another needle, newest line', 'the needle, oldest line']);
    expect(pages[0]).toEqual(['another needle, newest line']);
    expect(pages.at(-1)).toEqual(['the needle, oldest line']);
    expect(pages.slice(1, -1).every((p) => p.length === 0)).toBe(true);
  });

  it.each([
    ['the default budget', undefined],
    ['a budget smaller than a page', 100_000],
  ])(
    'pages through a log larger than what it reads at a time, with %s: every line once, in order, multi-byte characters intact',
    async (_budget, maxScanBytes) => {
      const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
      const file = new LogFile(path, 'node-1', () => {}, maxScanBytes);
      // About 1.5 MB: several of the reader's chunks, with lines of varying length and non-ASCII text.
      const messages = Array.from(
        { length: 6000 },
        (_, i) => `line ${i} ${'Grüße—日本語 '.repeat(i % 17)}${i % 500 === 0 ? 'x'.repeat(300_000) : ''}`,
      );
      for (const message of messages) file.append([entry(message)]);
      file.flush();

      expect(await everyPage(file, { limit: 250 })).toEqual([...messages].reverse());
      // A filter looks further back than one chunk (over several pages if the budget ends first).
      expect(await everyPage(file, { q: 'line 7 ', limit: 5 })).toEqual([messages[7]]);
    },
  );

  it('reads back lines that are not written yet: the list writes what is pending first', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('pending line')]);
    const page = await file.list({ limit: 10 });
    expect(page.items.map((e) => e.message)).toEqual(['pending line']);
    expect(fileLines(path)).toHaveLength(1);
  });

  it('flush writes what is pending (the server calls it on the way out), once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('last words')]);
    file.flush();
    expect(fileLines(path)).toHaveLength(1);
    await nextTurn();
    file.flush();
    expect(fileLines(path)).toHaveLength(1);
  });

  it('formats the date in UTC as the seed pattern does, from any ISO timestamp, and keeps a line one line', () => {
    const line = formatLogLine({ ...entry('two\nlines\r\nhere'), timestamp: '2026-11-26T11:00:00.5+01:00' });
    expect(line).toBe(
      '2026-11-26 10:00:00,500+0000 http-nio-8080-exec-1 INFO jdoe 203.0.113.7 /rest/api/2/myself [de.resolution.apitokenauth] two lines here',
    );
    expect(parseLogLine(line, 7, 'node-1')).toMatchObject({
      id: 'le-000000000000007',
      timestamp: '2026-11-26T10:00:00.500Z',
      message: 'two lines here',
    });
  });
});

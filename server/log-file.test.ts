import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewLogEntry } from '../backend/store/port';
import { formatLogLine, LogFile, parseLogLine } from './log-file';

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

  it('reads back the ids of lines appended after it started (numbered by their line in the file)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const first = new LogFile(path, 'node-1', () => {});
    first.append([entry('from before a restart')]);
    first.flush();
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('one'), entry('two')]);
    await nextTurn();
    expect(file.list({ limit: 10 }).items.map((e) => [e.id, e.message])).toEqual([
      ['le-000000003', 'two'],
      ['le-000000002', 'one'],
      ['le-000000001', 'from before a restart'],
    ]);
  });

  it('reads back lines that are not written yet: the list writes what is pending first', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-log-')), 'console.log');
    const file = new LogFile(path, 'node-1', () => {});
    file.append([entry('pending line')]);
    const page = file.list({ limit: 10 });
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
      id: 'le-000000007',
      timestamp: '2026-11-26T10:00:00.500Z',
      message: 'two lines here',
    });
  });
});

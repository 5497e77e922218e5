import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimDatabase } from './database-lock';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'atc-lock-')), 'console.db');
/** The pid of a process that has ended. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('claimDatabase', () => {
  it('lets one server process use a database file, refuses a second, and frees the file on release', () => {
    const path = dbPath();
    const release = claimDatabase(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
    // Another running process: the parent of this test runner is one that surely runs.
    expect(() => claimDatabase(path, process.ppid)).toThrow(
      new RegExp(`Another server process \\(pid ${process.pid}\\) uses .*console\\.db`),
    );
    release();
    expect(existsSync(`${path}.lock`)).toBe(false);
    claimDatabase(path, process.ppid)();
  });

  it('takes over a lock left by a process that has ended', () => {
    const path = dbPath();
    writeFileSync(`${path}.lock`, String(endedPid()));
    const release = claimDatabase(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('does not remove a lock that another process holds when releasing', () => {
    const path = dbPath();
    const release = claimDatabase(path);
    writeFileSync(`${path}.lock`, String(process.ppid));
    release();
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.ppid));
  });
});

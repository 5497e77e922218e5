/** The benchmark's settings (some from the environment), bounds and paths. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { positiveInt } from '../machine';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The benchmark's entry: forked again as the server and the seeder processes. */
export const SCRIPT = join(ROOT, 'scripts', 'bench-server.ts');

export const REPORT = join(ROOT, 'docs', 'bench-server.md');

export const DURATION_MS = positiveInt(process.env.DURATION_MS, 5_000);
export const WARMUP_MS = positiveInt(process.env.WARMUP_MS, 1_000);
export const CONCURRENCY = positiveInt(process.env.CONCURRENCY, 32);
export const AUDIT_RECORDS = positiveInt(process.env.AUDIT_RECORDS, 1_000_000);
export const SAMPLES = positiveInt(process.env.SAMPLES, 50);

export const TARGET_RATIO = 0.85;
export const TARGET_SEARCH_P95_MS = 20;
/** "Flat": the server's RSS grows by less than this during the whole export. */
export const FLAT_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

export const ADMIN_PASSWORD = 'bench-admin-password';
export const NODE_ID = 'node-1';
export const APP_LOGGER = 'de.resolution.apitokenauth';
/** Upper bounds: nothing here may hang the benchmark. */
export const REQUEST_TIMEOUT_MS = 30_000;
export const EXPORT_TIMEOUT_MS = 300_000;
export const SEED_TIMEOUT_MS = 600_000;
export const CHILD_START_TIMEOUT_MS = 60_000;
